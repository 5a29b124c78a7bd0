// The WebHDFS emulator's HTTP front: node:http routing of /webhdfs/v1 to the ops, RemoteException
// bodies, fault injection, and the /emulator/* control endpoints used by tests and benchmarks.

import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { authenticate, type TokenLifetimes, TokenStore } from "./auth.ts";
import {
  DEFAULT_FAULT_KINDS,
  drawFault,
  type FaultSettings,
  retriableError,
  standbyError,
  unavailablePage,
} from "./faults.ts";
import { EmulatorNamespace } from "./namespace.ts";
import { type OpResponse, prepareOp } from "./ops.ts";
import { type HttpMethod, Params } from "./params.ts";
import { RemoteError, remote } from "./remote-error.ts";
import { type KerberosSettings, SpnegoFilter } from "./spnego.ts";

export type { TokenLifetimes } from "./auth.ts";
export type { FaultKind, FaultSettings } from "./faults.ts";
export { EmulatorNamespace } from "./namespace.ts";
export type { KerberosSettings } from "./spnego.ts";

export interface EmulatorOptions extends FaultSettings {
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  superuser?: string;
  supergroup?: string;
  standby?: boolean;
  /** dfs.ls.limit, the LISTSTATUS_BATCH page size. */
  lsLimit?: number;
  /** user → groups, for permission checks. */
  users?: Record<string, string[]>;
  /** Kerberized: SPNEGO with this service principal and keytab; `user.name` is then ignored. */
  kerberos?: KerberosSettings;
  /** Serve HTTPS (swebhdfs) with this PEM key and certificate. */
  tls?: { key: string | Buffer; cert: string | Buffer };
  /** Delegation token renew interval and max lifetime. */
  tokens?: TokenLifetimes;
}

export interface Emulator {
  url: string;
  port: number;
  close(): Promise<void>;
  setStandby(standby: boolean): void;
  setFaults(f: FaultSettings): void;
  /** Requests received per op (upper-cased; NULL when the op is missing), faulted ones included. */
  counts(): Record<string, number>;
  resetCounts(): void;
  /** Kerberos mode: SPNEGO tokens accepted, and requests refused with 401/403. */
  authCounts(): { handshakes: number; refused: number };
  /** A delegation token of `user`, as GETDELEGATIONTOKEN would issue. */
  issueToken(user: string): string;
  fs: EmulatorNamespace;
}

const PREFIX = "/webhdfs/v1";
const METHODS: readonly string[] = ["GET", "PUT", "POST", "DELETE"];

export async function startEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  const fs = new EmulatorNamespace(opts);
  const tokens = new TokenStore(opts.tokens);
  const scheme = opts.tls ? "https" : "http";
  const spnego = opts.kerberos ? new SpnegoFilter(opts.kerberos, opts.tls !== undefined) : undefined;
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

  async function webhdfs(req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer): Promise<void> {
    const params = new Params(url.searchParams);
    const opName = (params.get("op") ?? "NULL").toUpperCase();
    counts[opName] = (counts[opName] ?? 0) + 1;
    if (faults.latencyMs > 0) await sleep(faults.latencyMs);
    const fault = drawFault(faults);
    if (fault === "reset") return void req.socket.resetAndDestroy();
    if (fault === "timeout") return; // never answered; close() drops the connection
    if (fault === "503")
      return sendRaw(res, 503, "text/html;charset=iso-8859-1", unavailablePage(url.pathname));
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
            "text/html;charset=iso-8859-1",
            errorPage(verdict.status, verdict.message),
            verdict.headers,
          );
        kerberosUser = verdict.user;
        authHeaders = verdict.headers;
      }
      const caller = authenticate(params, fs, tokens, kerberosUser);
      const host = req.headers.host ?? `${hostForUrl(opts.host ?? "127.0.0.1")}:${port}`;
      const run = prepareOp(fs, tokens, {
        op,
        params,
        path: decodePath(url.pathname),
        body,
        caller,
        baseUrl: `${scheme}://${host}`,
        url,
        clientAddress: req.socket.remoteAddress ?? "127.0.0.1",
        kerberos: spnego !== undefined,
      });
      if (standby || fault === "standby") throw standbyError(method);
      if (fault === "retriable") throw retriableError();
      sendOp(res, run(), authHeaders);
    } catch (e) {
      const err =
        e instanceof RemoteError ? e : new RemoteError("java.lang.RuntimeException", String(e), 500);
      sendRaw(res, err.status, "application/json", JSON.stringify(err.toJSON()), authHeaders);
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

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    readBody(req)
      .then((body) => {
        const url = new URL(req.url ?? "/", "http://emulator");
        if (url.pathname === PREFIX || url.pathname.startsWith(`${PREFIX}/`))
          return webhdfs(req, res, url, body);
        if (url.pathname.startsWith("/emulator/")) {
          const [status, doc] = control(req, url, body);
          sendJson(res, status, doc);
        } else {
          sendRaw(res, 404, "text/plain", "Not Found\n");
        }
      })
      .catch(() => req.socket.destroy());
  };
  const server = opts.tls ? createHttpsServer(opts.tls, handler) : createServer(handler);
  // Longer than the usual client pool idle time, so a reused connection is not closed under it.
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `${scheme}://${hostForUrl(opts.host ?? "127.0.0.1")}:${port}`,
    port,
    fs,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
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

function hostForUrl(host: string): string {
  return host.includes(":") ? `[${host}]` : host;
}

function decodePath(pathname: string): string {
  const rest = pathname.slice(PREFIX.length);
  try {
    return `/${rest
      .split("/")
      .filter((s) => s !== "")
      .map(decodeURIComponent)
      .join("/")}`;
  } catch {
    throw remote.illegalArgument(`Invalid path: ${rest}`);
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** Jetty's headers on every NameNode answer. */
const COMMON_HEADERS = { "Cache-Control": "no-cache", Pragma: "no-cache", "X-FRAME-OPTIONS": "SAMEORIGIN" };

function sendRaw(
  res: ServerResponse,
  status: number,
  type: string,
  body: string,
  extra: Record<string, string> = {},
) {
  const buf = Buffer.from(body, "utf8");
  res.writeHead(status, { ...COMMON_HEADERS, ...extra, "Content-Type": type, "Content-Length": buf.length });
  res.end(buf);
}

function sendJson(res: ServerResponse, status: number, doc: unknown): void {
  sendRaw(res, status, "application/json", JSON.stringify(doc));
}

/** Ops without a JSON answer reply with an empty application/octet-stream body. */
function sendOp(res: ServerResponse, r: OpResponse, authHeaders: Record<string, string> = {}): void {
  const headers = { ...authHeaders, ...r.headers };
  if (r.json === undefined) sendRaw(res, r.status, "application/octet-stream", "", headers);
  else sendRaw(res, r.status, "application/json", JSON.stringify(r.json), headers);
}

/** Jetty's error page, as the authentication filter's sendError produces it. */
function errorPage(status: number, message: string): string {
  const text = message.replace(/[<>&]/g, "");
  return `<html>\n<head>\n<meta http-equiv="Content-Type" content="text/html;charset=utf-8"/>\n<title>Error ${status} ${text}</title>\n</head>\n<body><h2>HTTP ERROR ${status}</h2>\n<p>Problem accessing /webhdfs/v1. Reason:\n<pre>    ${text}</pre></p>\n</body>\n</html>\n`;
}
