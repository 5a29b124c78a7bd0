import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import {
  createServer as createHttpServer,
  type IncomingMessage,
  request,
  type ServerResponse,
} from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import type { Emulator } from "../../../src/emulator/server.ts";
import { newClient, requests, resetCounts, useEmulators } from "./helpers.ts";

type Front = (req: IncomingMessage, res: ServerResponse) => boolean;

/** A server in front of the emulator: answers what `front` claims, forwards the rest. */
async function startGateway(emu: Emulator, front: Front, tls?: { key: Buffer; cert: Buffer }) {
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    if (front(req, res)) return;
    const upstream = request(`${emu.url}${req.url}`, { method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    req.pipe(upstream);
  };
  const server = tls ? createHttpsServer(tls, handler) : createHttpServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${tls ? "https" : "http"}://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve()).closeAllConnections()),
  };
}

describe("WebhdfsClient behind other servers", () => {
  const emus = useEmulators(1, { lsLimit: 2 });
  const dir = mkdtempSync(join(tmpdir(), "gs-webhdfs-tls-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("talks HTTPS to a NameNode whose certificate a configured CA file vouches for", async () => {
    const [key, cert] = [join(dir, "key.pem"), join(dir, "cert.pem")];
    execFileSync(
      "openssl",
      [
        ...["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"],
        ...["-keyout", key, "-out", cert, "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
      ],
      { stdio: "ignore" },
    );
    const gateway = await startGateway(emus[0]!, () => false, {
      key: readFileSync(key),
      cert: readFileSync(cert),
    });
    const trusting = newClient([], { namenodes: [gateway.url], caFile: cert });
    const strict = newClient([], { namenodes: [gateway.url] });
    try {
      emus[0]!.fs.mkdirs("/tls");
      assert.equal((await trusting.getFileStatus("/tls")).type, "DIRECTORY");
      await assert.rejects(strict.getFileStatus("/tls"), { code: "DEPTH_ZERO_SELF_SIGNED_CERT" });
    } finally {
      await Promise.all([trusting.close(), strict.close(), gateway.close()]);
    }
  });

  it("falls back to LISTSTATUS on a NameNode that does not know LISTSTATUS_BATCH", async () => {
    const hadoop2: Front = (req, res) => {
      if (!/op=LISTSTATUS_BATCH/i.test(req.url ?? "")) return false;
      const message = "No enum constant org.apache.hadoop.hdfs.web.resources.GetOpParam.Op.LISTSTATUS_BATCH";
      const body = {
        RemoteException: {
          exception: "IllegalArgumentException",
          javaClassName: "java.lang.IllegalArgumentException",
          message,
        },
      };
      res.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify(body));
      return true;
    };
    const gateway = await startGateway(emus[0]!, hadoop2);
    const client = newClient([], { namenodes: [gateway.url] });
    try {
      for (const n of ["a", "b", "c"]) emus[0]!.fs.create(`/old/${n}`, { data: "" });
      resetCounts(emus);
      const pages: string[][] = [];
      for await (const page of client.listStatusBatches("/old")) pages.push(page.map((s) => s.pathSuffix));
      for await (const page of client.listStatusBatches("/old")) pages.push(page.map((s) => s.pathSuffix));
      assert.deepEqual(pages, [
        ["a", "b", "c"],
        ["a", "b", "c"],
      ]);
      assert.deepEqual(requests(emus), { LISTSTATUS: 2 });
    } finally {
      await Promise.all([client.close(), gateway.close()]);
    }
  });
});
