// The health and metrics HTTP server on `[daemon] listen`: /healthz (alive), /readyz (last
// reconcile succeeded and sources valid, or a standby; 503 with a JSON reason otherwise; the body
// names the role), /metrics (Prometheus), /report (the HTML access report, on the same bind address).

import { createServer, type Server, type ServerResponse } from "node:http";
import { type AddressInfo, isIP } from "node:net";
import type { Registry } from "prom-client";
import { parseListen } from "../config/values.ts";
import { GsError, toGsError } from "../errors.ts";
import { scrubText } from "../secrets.ts";

export interface Readiness {
  ready: boolean;
  /** With ha: whether this daemon leads; a standby is ready too. */
  role?: "leader" | "standby";
  reason?: string;
  errors?: string[];
}

export interface HealthOptions {
  listen: string;
  readiness: () => Readiness;
  registry: Registry;
  /** The HTML report, or undefined while there is nothing to report yet. */
  report?: () => Promise<string | undefined>;
}

export interface HealthServer {
  readonly address: AddressInfo;
  close(): Promise<void>;
}

export async function startHealthServer(opts: HealthOptions): Promise<HealthServer> {
  // The config was checked at load (config/values.ts), so the address parses.
  const { host, port } = parseListen(opts.listen)!;
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method !== "GET" && req.method !== "HEAD") return send(res, 405, { error: "method not allowed" });
    if (path === "/healthz") return send(res, 200, { alive: true });
    if (path === "/readyz") {
      const r = opts.readiness();
      return send(res, r.ready ? 200 : 503, r);
    }
    if (path === "/metrics") {
      opts.registry.metrics().then(
        (text) => {
          res.writeHead(200, { "content-type": opts.registry.contentType });
          res.end(text);
        },
        (err: Error) => send(res, 500, { error: err.message }),
      );
      return;
    }
    if (path === "/report" && opts.report) {
      opts.report().then(
        (html) => {
          if (html === undefined) return send(res, 503, { error: "no model loaded yet" });
          res.writeHead(200, {
            "content-type": "text/html; charset=utf-8",
            "content-security-policy":
              "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'",
            "x-content-type-options": "nosniff",
            "cache-control": "no-store",
          });
          res.end(req.method === "HEAD" ? undefined : html);
        },
        (err: unknown) => send(res, 500, { error: toGsError(err).code }),
      );
      return;
    }
    send(res, 404, { error: "not found" });
  });
  await listen(server, host, port);
  return {
    address: server.address() as AddressInfo,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Whether an address is reachable from this host only (127/8, ::1, an IPv4-mapped 127/8). */
export function isLoopback(address: string): boolean {
  return isIP(address) !== 0 && /^(127\.|::1$|::ffff:127\.)/.test(address);
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", (err: NodeJS.ErrnoException) =>
      reject(
        new GsError("GS_DAEMON_LISTEN", `cannot listen on ${host}:${port}: ${err.code ?? err.message}`, {
          location: `${host}:${port}`,
          cause: err,
        }),
      ),
    );
    server.listen(port, host, () => resolve());
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(`${scrubText(JSON.stringify(body))}\n`);
}
