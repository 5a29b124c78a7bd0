// A stand-in for Ranger Admin's public v2 REST API in tests: Basic auth, the service's policies paged by
// startIndex/pageSize as RangerSearchUtil pages them, and GET /api/roles.

import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface RangerAdmin {
  url: string;
  /** Replaces what the server serves (policies as RangerPolicy JSON objects). */
  serve(policies: Record<string, unknown>[], roles?: Record<string, unknown>[]): void;
  /** Changes the one account the server accepts. */
  login(user: string, password: string): void;
  /** Requests seen, as `METHOD path?query`. */
  requests: string[];
  close(): Promise<void>;
}

export async function startRangerAdmin(user: string, password: string): Promise<RangerAdmin> {
  let policies: Record<string, unknown>[] = [];
  let roles: Record<string, unknown>[] = [];
  const requests: string[] = [];
  const basic = (u: string, pw: string) => `Basic ${Buffer.from(`${u}:${pw}`).toString("base64")}`;
  let expected = basic(user, password);
  const server: Server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const u = new URL(req.url ?? "/", "http://x");
    if (req.headers.authorization !== expected) {
      res.writeHead(401, { "www-authenticate": 'Basic realm="Ranger"' }).end();
      return;
    }
    const page = (list: unknown[]) => {
      const start = Number(u.searchParams.get("startIndex") ?? 0);
      const size = Number(u.searchParams.get("pageSize") ?? 200);
      res
        .writeHead(200, { "content-type": "application/json" })
        .end(JSON.stringify(list.slice(start, start + size)));
    };
    const m = /^\/service\/public\/v2\/api\/service\/([^/]+)\/policy$/.exec(u.pathname);
    if (m) return page(policies.filter((p) => p.service === decodeURIComponent(m[1]!)));
    if (u.pathname === "/service/public/v2/api/roles") return page(roles);
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    login(u, pw) {
      expected = basic(u, pw);
    },
    serve(p, r = []) {
      policies = p;
      roles = r;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
