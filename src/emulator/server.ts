// The WebHDFS emulator's HTTP front: a NameNode port routing /webhdfs/v1 to the ops (with
// RemoteException bodies, fault injection and the /emulator/* control endpoints used by tests and
// benchmarks) and a DataNode port that OPEN, CREATE and APPEND are redirected to.

import type { IncomingMessage, ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { authenticate, type ProxyUsers, type TokenLifetimes, TokenStore } from "./auth.ts";
import { prepareDataNodeOp } from "./datanode.ts";
import {
  DEFAULT_FAULT_KINDS,
  drawFault,
  type FaultSettings,
  retriableError,
  standbyError,
  unavailablePage,
} from "./faults.ts";
import {
  decodePath,
  errorPage,
  hostForUrl,
  listen,
  PREFIX,
  readBody,
  sendError,
  sendJson,
  sendOp,
  sendRaw,
} from "./http.ts";
import { EmulatorNamespace } from "./namespace.ts";
import { type OpRequest, prepareOp } from "./ops.ts";
import { type HttpMethod, Params } from "./params.ts";
import { remote } from "./remote-error.ts";
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

const METHODS: readonly string[] = ["GET", "PUT", "POST", "DELETE"];
const HTML = "text/html;charset=iso-8859-1";

export async function startEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  const fs = new EmulatorNamespace(opts);
  const tokens = new TokenStore(opts.tokens, opts.clock);
  const host = opts.host ?? "127.0.0.1";
  const scheme = opts.tls ? "https" : "http";
  const spnego = opts.kerberos
    ? new SpnegoFilter(opts.kerberos, opts.tls !== undefined, opts.clock)
    : undefined;
  const faults: Required<FaultSettings> = {
    errorRate: opts.errorRate ?? 0,
    errorKinds: opts.errorKinds ?? [...DEFAULT_FAULT_KINDS],
    latencyMs: opts.latencyMs ?? 0,
  };
  let standby = opts.standby ?? false;
  let counts: Record<string, number> = {};
  const setFaults = (f: FaultSettings) => {
    if (f.errorRate !== undefined) faults.errorRate = f.errorRate;
    if (f.errorKinds !== undefined) faults.errorKinds = [...f.errorKinds];
    if (f.latencyMs !== undefined) faults.latencyMs = f.latencyMs;
  };

  /** Everything an op needs from the HTTP request, the caller included. */
  function opRequest(
    req: IncomingMessage,
    url: URL,
    body: Buffer,
    op: string,
    kerberosUser?: string,
  ): OpRequest {
    const params = new Params(url.searchParams);
    return {
      op,
      params,
      path: decodePath(url.pathname),
      body,
      caller: authenticate(params, fs, tokens, kerberosUser, opts.proxyUsers),
      baseUrl: `${scheme}://${req.headers.host ?? `${hostForUrl(host)}:${nn.port}`}`,
      dataNodeUrl: `${scheme}://${hostForUrl(host)}:${dn.port}`,
      url,
      clientAddress: req.socket.remoteAddress ?? "127.0.0.1",
      kerberos: spnego !== undefined,
      aclsEnabled: opts.aclsEnabled ?? true,
    };
  }

  async function namenode(req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer): Promise<void> {
    const params = new Params(url.searchParams);
    const opName = (params.get("op") ?? "NULL").toUpperCase();
    counts[opName] = (counts[opName] ?? 0) + 1;
    if (faults.latencyMs > 0) await sleep(faults.latencyMs);
    const fault = drawFault(faults);
    if (fault === "reset") return void req.socket.resetAndDestroy();
    if (fault === "timeout") return; // never answered; close() drops the connection
    if (fault === "503") return sendRaw(res, 503, HTML, unavailablePage(url.pathname));
    let authHeaders: Record<string, string> = {};
    try {
      const method = req.method as HttpMethod;
      if (!METHODS.includes(method)) throw remote.unsupported(`HTTP method ${req.method} is not supported`);
      const op = params.op(method);
      let kerberosUser: string | undefined;
      // A delegation token skips the filter; the NameNode verifies it (hdfs web.AuthFilter).
      if (spnego && params.get("delegation") === undefined) {
        const verdict = await spnego.authenticate(req);
        if ("status" in verdict)
          return sendRaw(
            res,
            verdict.status,
            HTML,
            errorPage(verdict.status, verdict.message),
            verdict.headers,
          );
        kerberosUser = verdict.user;
        authHeaders = verdict.headers;
      }
      const run = prepareOp(fs, tokens, opRequest(req, url, body, op, kerberosUser));
      if (standby || fault === "standby") throw standbyError(method);
      if (fault === "retriable") throw retriableError();
      sendOp(res, run(), authHeaders);
    } catch (e) {
      sendError(res, e, authHeaders);
    }
  }

  /** The DataNode trusts what the NameNode put in the redirect: user.name, or a delegation token. */
  async function datanode(req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer): Promise<void> {
    try {
      const method = req.method as HttpMethod;
      if (!METHODS.includes(method)) throw remote.unsupported(`HTTP method ${req.method} is not supported`);
      const op = new Params(url.searchParams).op(method);
      sendOp(res, prepareDataNodeOp(fs, opRequest(req, url, body, op))());
    } catch (e) {
      sendError(res, e);
    }
  }

  /** The /emulator/* endpoints: JSON state for scripts in other processes. */
  function control(req: IncomingMessage, url: URL, body: Buffer): [number, unknown] {
    const write = req.method === "POST" || req.method === "PUT";
    if (url.pathname === "/emulator/counts" && req.method === "GET") return [200, counts];
    if (url.pathname === "/emulator/reset" && write) {
      counts = {};
      return [200, counts];
    }
    if (url.pathname === "/emulator/standby") {
      const on = url.searchParams.get("on");
      if (on !== null) standby = on === "true";
      return [200, { standby }];
    }
    if (url.pathname === "/emulator/faults" && write) {
      try {
        setFaults(JSON.parse(body.toString("utf8") || "{}") as FaultSettings);
      } catch {
        return [400, { error: "expected a JSON object" }];
      }
      return [200, faults];
    }
    return [404, { error: "not found" }];
  }

  const route =
    (webhdfs: typeof namenode, withControl: boolean) => (req: IncomingMessage, res: ServerResponse) => {
      readBody(req)
        .then((body) => {
          const url = new URL(req.url ?? "/", "http://emulator");
          if (url.pathname === PREFIX || url.pathname.startsWith(`${PREFIX}/`))
            return webhdfs(req, res, url, body);
          if (withControl && url.pathname.startsWith("/emulator/")) {
            const [status, doc] = control(req, url, body);
            sendJson(res, status, doc);
          } else {
            sendRaw(res, 404, "text/plain", "Not Found\n");
          }
        })
        .catch(() => req.socket.destroy());
    };
  const nn = await listen(route(namenode, true), { port: opts.port ?? 0, host, tls: opts.tls });
  const dn = await listen(route(datanode, false), { port: opts.dataNodePort ?? 0, host, tls: opts.tls });

  return {
    url: `${scheme}://${hostForUrl(host)}:${nn.port}`,
    port: nn.port,
    dataNodeUrl: `${scheme}://${hostForUrl(host)}:${dn.port}`,
    fs,
    close: async () => {
      await Promise.all([nn.close(), dn.close()]);
    },
    setStandby: (b) => {
      standby = b;
    },
    setFaults,
    counts: () => ({ ...counts }),
    resetCounts: () => {
      counts = {};
    },
    issueToken: (user) => tokens.issue(user),
    authCounts: () => ({ handshakes: spnego?.handshakes ?? 0, refused: spnego?.refused ?? 0 }),
  };
}
