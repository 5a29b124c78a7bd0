// The JSON shapes WebHDFS answers with (JsonUtil on the NameNode, FSOperations on HttpFS),
// limited to the fields grantsync reads, and the options a client is built with.

import type { RetryPolicy } from "./ha.ts";
import type { SpnegoOptions } from "./spnego.ts";

export interface FileStatus {
  pathSuffix: string;
  type: "FILE" | "DIRECTORY" | "SYMLINK";
  /** Octal text; a sticky bit makes it four digits ("1777"). The group digit is the mask with an ACL. */
  permission: string;
  owner: string;
  group: string;
  length: number;
  modificationTime: number;
  fileId?: number;
  childrenNum?: number;
  /** Present (true) only when the inode carries an ACL feature. */
  aclBit?: boolean;
  symlink?: string;
}

export interface AclStatus {
  /** Named entries, the unnamed group:: entry and all default entries; never owner/mask/other. */
  entries: string[];
  owner: string;
  group: string;
  /** Missing from HttpFS answers. */
  permission?: string;
  stickyBit: boolean;
}

/** How a WebhdfsClient reaches and authenticates to the NameNodes. */
export interface WebhdfsClientOptions {
  /** `http://nn1:9870`, `https://nn1:9871`, `webhdfs://…`, `swebhdfs://…` or a bare `host:port` (HTTP). */
  namenodes: readonly string[];
  /** `user.name` on insecure clusters; left out when a delegation token authenticates. */
  user?: string;
  doas?: string;
  delegation?: string;
  /** Kerberos (SPNEGO) instead of `user.name`; see spnego.ts. */
  kerberos?: SpnegoOptions;
  /** PEM file of the CA that signed the NameNodes' certificates. */
  caFile?: string;
  /** Keep-alive sockets per NameNode. */
  connections?: number;
  /** Requests in flight at once across all callers. */
  maxInFlight?: number;
  /** Connect, headers and body timeout of one attempt. */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
}
