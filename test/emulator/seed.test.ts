import assert from "node:assert/strict";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { EmulatorNamespace } from "../../src/emulator/namespace.ts";
import { applySeed, parseGroupMapping, parseProxyUser, parseSeed } from "../../src/emulator/seed.ts";

const SEED = `# a small warehouse
dir  /warehouse                      hive:hive  755
dir  /warehouse/sales.db             hive:hive  771  default:group:analysts:r-x
file /warehouse/sales.db/orders/part%2000000  hive:hive  640  group:analysts:r--   # encoded space
dir  /tmp                            hdfs:supergroup 1777
`;

describe("--seed: the tree an emulator starts with", () => {
  it("builds directories, files, owners, modes and ACL specs; missing parents are the superuser's", () => {
    const ns = new EmulatorNamespace();
    applySeed(ns, parseSeed(SEED, "seed.txt"));
    const db = ns.getAclStatus("/warehouse/sales.db");
    assert.equal(db.owner, "hive");
    assert.equal(db.permission, "771");
    assert.ok(db.entries.includes("default:group:analysts:r-x"));
    const part = ns.getFileStatus("/warehouse/sales.db/orders/part 00000");
    assert.deepEqual([part.type, part.permission, part.aclBit], ["FILE", "640", true]);
    assert.equal(ns.getFileStatus("/warehouse/sales.db/orders").owner, "hdfs");
    assert.equal(ns.getAclStatus("/tmp").stickyBit, true);
  });

  it("names the line of a mistake", () => {
    assert.throws(() => parseSeed("dir /a hive:hive 755\nfolder /b hive:hive 755\n", "s"), {
      message: 's:2: expected dir or file, got "folder"',
    });
    assert.throws(() => parseSeed("dir /a hive 755\n", "s"), {
      message: 's:1: expected OWNER:GROUP, got "hive"',
    });
    assert.throws(() => parseSeed("dir /a hive:hive 999\n", "s"), /s:1: expected an octal mode/);
    assert.throws(
      () => applySeed(new EmulatorNamespace(), parseSeed("dir /a hive:hive 755 mask:bob:rwx\n", "s")),
      /^SeedError: s:1: AclException: Invalid ACL: this entry type must not have a name: mask:bob:rwx\.$/,
    );
  });

  it("parses --group-mapping and --proxy-user", () => {
    assert.deepEqual(parseGroupMapping("alice=analysts,staff; bob=eng"), {
      alice: ["analysts", "staff"],
      bob: ["eng"],
    });
    assert.deepEqual(parseProxyUser("oozie=*", parseProxyUser("hue=analysts,eng")), {
      hue: ["analysts", "eng"],
      oozie: ["*"],
    });
    assert.throws(() => parseGroupMapping("alice"), /--group-mapping: expected NAME=GROUP/);
  });
});

const MAIN = new URL("../../src/emulator/main.ts", import.meta.url).pathname;

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

describe("grantsync-webhdfs-emulator --seed --group-mapping --proxy-user --acls-disabled", () => {
  it("starts with the seeded tree and the group mapping", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gs-seed-"));
    try {
      writeFileSync(join(dir, "seed.txt"), SEED);
      const args = ["--port", "0", "--seed", join(dir, "seed.txt"), "--group-mapping", "alice=analysts"];
      const child = spawn(process.execPath, ["--import", "tsx", MAIN, ...args], {
        stdio: ["ignore", "pipe", "inherit"],
      });
      const url = await firstLine(child);
      const r = await fetch(
        `${url}/webhdfs/v1/warehouse/sales.db/orders/part%2000000?op=OPEN&user.name=alice`,
      );
      assert.equal(r.status, 200, "alice reads through group:analysts");
      const denied = await fetch(
        `${url}/webhdfs/v1/warehouse/sales.db/orders/part%2000000?op=OPEN&user.name=bob`,
      );
      assert.equal(denied.status, 403);
      child.kill("SIGTERM");
      assert.deepEqual(await once(child, "exit"), [0, null]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses a bad seed file with its line, before listening", () => {
    const dir = mkdtempSync(join(tmpdir(), "gs-seed-"));
    try {
      writeFileSync(join(dir, "seed.txt"), "dir /a hive:hive 75x\n");
      const r = spawnSync(
        process.execPath,
        ["--import", "tsx", MAIN, "--port", "0", "--seed", join(dir, "seed.txt")],
        {
          encoding: "utf8",
        },
      );
      assert.notEqual(r.status, 0);
      assert.match(r.stderr, /seed\.txt:1: expected an octal mode/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
