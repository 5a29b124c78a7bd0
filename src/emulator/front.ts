// The emulator's two HTTP fronts: the NameNode port (WebHDFS ops with fault injection and SPNEGO,
// plus the /emulator/* control endpoints) and the DataNode port that OPEN, CREATE and APPEND are
// redirected to. Both build the same OpRequest from a request.

import type { IncomingMessage, ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { authenticate, type ProxyUsers, type TokenStore } from "./auth.ts";
import type { EmulatorControls } from "./control.ts";
import { prepareDataNodeOp } from "./datanode.ts";
import { retriableError, standbyError, unavailablePage } from "./faults.ts";
import {
  decodePath,
  errorPage,
  hostForUrl,
  PREFIX,
  readBody,
  sendError,
  sendJson,
  sendOp,
  sendRaw,
} from "./http.ts";
import type { EmulatorNamespace } from "./namespace.ts";
import { type OpRequest, prepareOp } from "./ops.ts";
import { type HttpMethod, Params } from "./params.ts";
import { remote } from "./remote-error.ts";
import type { SpnegoFilter } from "./spnego.ts";

/** What both ports serve from: one namespace, its tokens and switches, and where each port listens. */
export interface Front {
  fs: EmulatorNamespace;
  tokens: TokenStore;
  controls: EmulatorControls;
  /** Kerberized when set. */
  spnego: SpnegoFilter | undefined;
  proxyUsers: ProxyUsers | undefined;
  aclsEnabled: boolean;
  host: string;
  scheme: "http" | "https";
  /** Known once both ports listen; redirects and absolute URLs name them. */
  ports: { nn: number; dn: number };
}

export type Handler = (
  f: Front,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  body: Buffer,
) => Promise<void>;

const METHODS: readonly string[] = ["GET", "PUT", "POST", "DELETE"];
const HTML = "text/html;charset=iso-8859-1";

/** Everything an op needs from the HTTP request, the caller included. */
function opRequest(
  f: Front,
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
    caller: authenticate(params, f.fs, f.tokens, kerberosUser, f.proxyUsers),
    baseUrl: `${f.scheme}://${req.headers.host ?? `${hostForUrl(f.host)}:${f.ports.nn}`}`,
    dataNodeUrl: `${f.scheme}://${hostForUrl(f.host)}:${f.ports.dn}`,
    url,
    clientAddress: req.socket.remoteAddress ?? "127.0.0.1",
    kerberos: f.spnego !== undefined,
    aclsEnabled: f.aclsEnabled,
  };
}

function methodOf(req: IncomingMessage): HttpMethod {
  if (!METHODS.includes(req.method ?? ""))
    throw remote.unsupported(`HTTP method ${req.method} is not supported`);
  return req.method as HttpMethod;
}

export const namenode: Handler = async (f, req, res, url, body) => {
  const { faults } = f.controls;
  const params = new Params(url.searchParams);
  f.controls.count((params.get("op") ?? "NULL").toUpperCase());
  if (faults.latencyMs > 0) await sleep(faults.latencyMs);
  const fault = f.controls.drawFault();
  if (fault === "reset") return void req.socket.resetAndDestroy();
  if (fault === "timeout") return; // never answered; close() drops the connection
  if (fault === "503") return sendRaw(res, 503, HTML, unavailablePage(url.pathname));
  let authHeaders: Record<string, string> = {};
  try {
    const method = methodOf(req);
    const op = params.op(method);
    let kerberosUser: string | undefined;
    // A delegation token skips the filter; the NameNode verifies it (hdfs web.AuthFilter).
    if (f.spnego && params.get("delegation") === undefined) {
      const verdict = await f.spnego.authenticate(req);
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
    const run = prepareOp(f.fs, f.tokens, opRequest(f, req, url, body, op, kerberosUser));
    if (f.controls.standby || fault === "standby") throw standbyError(method);
    if (fault === "retriable") throw retriableError();
    sendOp(res, run(), authHeaders);
  } catch (e) {
    sendError(res, e, authHeaders);
  }
};

/** The DataNode trusts what the NameNode put in the redirect: user.name, or a delegation token. */
export const datanode: Handler = async (f, req, res, url, body) => {
  try {
    const op = new Params(url.searchParams).op(methodOf(req));
    sendOp(res, prepareDataNodeOp(f.fs, opRequest(f, req, url, body, op))());
  } catch (e) {
    sendError(res, e);
  }
};

/** A port's request listener: WebHDFS paths to `webhdfs`, /emulator/* to the controls when `withControl`. */
export function route(f: Front, webhdfs: Handler, withControl: boolean) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    readBody(req)
      .then((body) => {
        const url = new URL(req.url ?? "/", "http://emulator");
        if (url.pathname === PREFIX || url.pathname.startsWith(`${PREFIX}/`))
          return webhdfs(f, req, res, url, body);
        if (withControl && url.pathname.startsWith("/emulator/")) {
          const [status, doc] = f.controls.handle(req, url, body);
          sendJson(res, status, doc);
        } else {
          sendRaw(res, 404, "text/plain", "Not Found\n");
        }
      })
      .catch(() => req.socket.destroy());
  };
}
