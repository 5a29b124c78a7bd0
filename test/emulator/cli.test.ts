import assert from "node:assert/strict";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { describe, it } from "node:test";

const MAIN = new URL("../../src/emulator/main.ts", import.meta.url).pathname;
const node = (args: string[]) => [process.execPath, ["--import", "tsx", MAIN, ...args]] as const;

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = "";
    child.stdout!.on("data", (d: Buffer) => {
      buf += d.toString();
      const nl = buf.indexOf("\n");
      if (nl >= 0) resolve(buf.slice(0, nl));
    });
    child.once("exit", (code) => reject(new Error(`exited with ${code} before printing its URL`)));
  });
}

describe("grantsync-webhdfs-emulator CLI", () => {
  it("starts with a #!/usr/bin/env node line", async () => {
    const { readFile } = await import("node:fs/promises");
    assert.match(await readFile(MAIN, "utf8"), /^#!\/usr\/bin\/env node\n/);
  });

  it("prints its URL, serves WebHDFS, and exits 0 on SIGTERM", async () => {
    const [cmd, args] = node(["--port", "0", "--standby", "--superuser", "nn"]);
    const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "inherit"] });
    const url = await firstLine(child);
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const standby = await fetch(`${url}/webhdfs/v1/?op=GETFILESTATUS`);
    assert.equal(standby.status, 403);
    await fetch(`${url}/emulator/standby?on=false`, { method: "POST" });
    const ok = await fetch(`${url}/webhdfs/v1/?op=GETFILESTATUS`);
    assert.equal(((await ok.json()) as { FileStatus: { owner: string } }).FileStatus.owner, "nn");
    child.kill("SIGTERM");
    const [code] = await once(child, "exit");
    assert.equal(code, 0);
  });

  it("--help describes the options; a bad value is refused", () => {
    const [cmd, args] = node(["--help"]);
    const help = spawnSync(cmd, args, { encoding: "utf8" });
    assert.equal(help.status, 0);
    for (const opt of ["--port", "--host", "--standby", "--latency-ms", "--error-rate", "--superuser"]) {
      assert.ok(help.stdout.includes(opt), opt);
    }
    const [cmd2, args2] = node(["--error-rate", "2"]);
    const bad = spawnSync(cmd2, args2, { encoding: "utf8" });
    assert.notEqual(bad.status, 0);
    assert.match(bad.stderr, /between 0 and 1/);
  });
});
