// The WebHDFS emulator: its options, resolved into one namespace, token store and set of switches
// (front.ts serves them on a NameNode and a DataNode port), and the handle tests and the demo hold.

import { type ProxyUsers, type TokenLifetimes, TokenStore } from "./auth.ts";
import { EmulatorControls } from "./control.ts";
import type { FaultSettings } from "./faults.ts";
import { datanode, type Front, namenode, route } from "./front.ts";
import { hostForUrl, type Listening, listen } from "./http.ts";
import { EmulatorNamespace } from "./namespace.ts";
import { type KerberosSettings, SpnegoFilter } from "./spnego.ts";

export type { ProxyUsers, TokenLifetimes } from "./auth.ts";
export type { FaultKind, FaultSettings } from "./faults.ts";
export { EmulatorNamespace } from "./namespace.ts";
export type { KerberosSettings } from "./spnego.ts";

export interface EmulatorOptions extends FaultSettings {
  /** 0 picks a free port. */
  port?: number;
  /** Port of the emulated DataNode that serves OPEN, CREATE and APPEND (0, the default, picks one). */
  dataNodePort?: number;
  host?: string;
  superuser?: string;
  supergroup?: string;
  standby?: boolean;
  /** dfs.ls.limit, the LISTSTATUS_BATCH page size. */
  lsLimit?: number;
  /** user → groups, for permission checks (a static group mapping). */
  users?: Record<string, string[]>;
  /** hadoop.proxyuser.NAME.groups: whom each real user may impersonate with `doas`. */
  proxyUsers?: ProxyUsers;
  /** dfs.namenode.acls.enabled; false answers every ACL op with an AclException. */
  aclsEnabled?: boolean;
  /** Kerberized: SPNEGO with this service principal and keytab; `user.name` is then ignored. */
  kerberos?: KerberosSettings;
  /** Serve HTTPS (swebhdfs) with this PEM key and certificate. */
  tls?: { key: string | Buffer; cert: string | Buffer };
  /** Delegation token renew interval and max lifetime. */
  tokens?: TokenLifetimes;
  /** Milliseconds since the epoch for inode times, token and cookie expiry (default Date.now). */
  clock?: () => number;
}

export interface Emulator {
  url: string;
  port: number;
  /** The emulated DataNode, where OPEN, CREATE and APPEND are redirected. */
  dataNodeUrl: string;
  close(): Promise<void>;
  setStandby(standby: boolean): void;
  setFaults(f: FaultSettings): void;
  /** NameNode requests received per op (upper-cased; NULL when the op is missing), faulted ones included. */
  counts(): Record<string, number>;
  resetCounts(): void;
  /** Kerberos mode: SPNEGO tokens accepted, and requests refused with 401/403. */
  authCounts(): { handshakes: number; refused: number };
  /** A delegation token of `user`, as GETDELEGATIONTOKEN would issue. */
  issueToken(user: string): string;
  fs: EmulatorNamespace;
}

/** The options resolved into what both ports serve from: namespace, tokens, switches, SPNEGO. */
function frontOf(opts: EmulatorOptions): Front {
  return {
    fs: new EmulatorNamespace(opts),
    tokens: new TokenStore(opts.tokens, opts.clock),
    controls: new EmulatorControls(opts),
    spnego: opts.kerberos ? new SpnegoFilter(opts.kerberos, opts.tls !== undefined, opts.clock) : undefined,
    proxyUsers: opts.proxyUsers,
    aclsEnabled: opts.aclsEnabled ?? true,
    host: opts.host ?? "127.0.0.1",
    scheme: opts.tls ? "https" : "http",
    ports: { nn: 0, dn: 0 },
  };
}

/** The handle tests and the demo hold: URLs, switches, counters, and shutdown of both ports. */
function handleOf(f: Front, nn: Listening, dn: Listening): Emulator {
  const { controls, spnego } = f;
  return {
    url: `${f.scheme}://${hostForUrl(f.host)}:${nn.port}`,
    port: nn.port,
    dataNodeUrl: `${f.scheme}://${hostForUrl(f.host)}:${dn.port}`,
    fs: f.fs,
    close: async () => {
      await Promise.all([nn.close(), dn.close()]);
    },
    setStandby: (b) => {
      controls.standby = b;
    },
    setFaults: (s) => controls.setFaults(s),
    counts: () => controls.counts(),
    resetCounts: () => controls.resetCounts(),
    issueToken: (user) => f.tokens.issue(user),
    authCounts: () => ({ handshakes: spnego?.handshakes ?? 0, refused: spnego?.refused ?? 0 }),
  };
}

export async function startEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  const f = frontOf(opts);
  const nn = await listen(route(f, namenode, true), { port: opts.port ?? 0, host: f.host, tls: opts.tls });
  f.ports.nn = nn.port;
  const dn = await listen(route(f, datanode, false), {
    port: opts.dataNodePort ?? 0,
    host: f.host,
    tls: opts.tls,
  });
  f.ports.dn = dn.port;
  return handleOf(f, nn, dn);
}
