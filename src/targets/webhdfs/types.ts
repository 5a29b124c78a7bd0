// The JSON shapes WebHDFS answers with (JsonUtil on the NameNode, FSOperations on HttpFS),
// limited to the fields grantsync reads.

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
