// The HTTP plumbing both emulated servers share: request bodies, WebHDFS paths from URLs, and
// answers with the headers Jetty puts on every NameNode and DataNode response.

import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import type { OpResponse } from "./ops.ts";
import { RemoteError, remote } from "./remote-error.ts";

export const PREFIX = "/webhdfs/v1";

export function hostForUrl(host: string): string {
  return host.includes(":") ? `[${host}]` : host;
}

/** Empty components are kept: creating ops refuse `//` inside a path, as DFSUtil.isValidName does. */
export function decodePath(pathname: string): string {
  const rest = pathname.slice(PREFIX.length);
  try {
    return rest === "" ? "/" : rest.split("/").map(decodeURIComponent).join("/");
  } catch {
    throw remote.illegalArgument(`Invalid path: ${rest}`);
  }
}

export function encodePath(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** Jetty's headers on every NameNode answer. */
const COMMON_HEADERS = { "Cache-Control": "no-cache", Pragma: "no-cache", "X-FRAME-OPTIONS": "SAMEORIGIN" };

export function sendRaw(
  res: ServerResponse,
  status: number,
  type: string,
  body: string | Buffer,
  extra: Record<string, string> = {},
): void {
  const buf = typeof body === "string" ? Buffer.from(body, "utf8") : body;
  res.writeHead(status, { ...COMMON_HEADERS, ...extra, "Content-Type": type, "Content-Length": buf.length });
  res.end(buf);
}

export function sendJson(res: ServerResponse, status: number, doc: unknown): void {
  sendRaw(res, status, "application/json", JSON.stringify(doc));
}

/** Ops without a JSON answer reply with an application/octet-stream body, empty unless data was read. */
export function sendOp(res: ServerResponse, r: OpResponse, authHeaders: Record<string, string> = {}): void {
  const headers = { ...authHeaders, ...r.headers };
  if (r.json === undefined) sendRaw(res, r.status, "application/octet-stream", r.data ?? "", headers);
  else sendRaw(res, r.status, "application/json", JSON.stringify(r.json), headers);
}

/** Any failure as the RemoteException JSON the ExceptionHandler writes. */
export function sendError(res: ServerResponse, e: unknown, authHeaders: Record<string, string> = {}): void {
  const err = e instanceof RemoteError ? e : new RemoteError("java.lang.RuntimeException", String(e), 500);
  sendRaw(res, err.status, "application/json", JSON.stringify(err.toJSON()), authHeaders);
}

/** Jetty's error page, as the authentication filter's sendError produces it. */
export function errorPage(status: number, message: string): string {
  const text = message.replace(/[<>&]/g, "");
  return `<html>\n<head>\n<meta http-equiv="Content-Type" content="text/html;charset=utf-8"/>\n<title>Error ${status} ${text}</title>\n</head>\n<body><h2>HTTP ERROR ${status}</h2>\n<p>Problem accessing /webhdfs/v1. Reason:\n<pre>    ${text}</pre></p>\n</body>\n</html>\n`;
}

export interface Listening {
  port: number;
  close(): Promise<void>;
}

/** One HTTP(S) server on `port` (0: a free one). */
export async function listen(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  opts: { port: number; host: string; tls?: { key: string | Buffer; cert: string | Buffer } },
): Promise<Listening> {
  const server = opts.tls ? createHttpsServer(opts.tls, handler) : createServer(handler);
  // Longer than the usual client pool idle time, so a reused connection is not closed under it.
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
