// A tree whose owners are hostile to a root daemon: symlinks as the last and as an intermediate
// component (also as a table LOCATION and as a path segment below the root), a directory swapped
// for a symlink while apply runs, a hard link to a file outside, FIFOs, devices, sockets, names
// with newlines and invalid UTF-8, a very deep tree. Nothing outside changes and nothing blocks.

import assert from "node:assert/strict";
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { linkSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { applyChanges, computePlan } from "../../src/reconcile/run.ts";
import { getfacl } from "../helpers/cli.ts";
import {
  deadline,
  makeScratch,
  openSessionFor,
  type Scratch,
  SOAK,
  size,
  stateOf,
} from "../helpers/hardening.ts";

const DEPTH = 300;
const RACE_SECONDS = size(4, 30);

const policyFor = (reader: string) => `[groups]
${reader} = reader
users = writer
[roles]
reader = server=server1->db=sales->action=select
writer = server=server1->db=sales->table=t_plain->action=all
`;

// Swaps two directory entries with renameat2(RENAME_EXCHANGE) as fast as it can, for a bounded
// time, and stops early if its parent (the test) goes away.
const RACER = `
import ctypes, os, sys, time
libc = ctypes.CDLL(None, use_errno=True)
pairs = [(sys.argv[i].encode(), sys.argv[i + 1].encode()) for i in range(2, len(sys.argv), 2)]
end = time.time() + float(sys.argv[1])
parent = os.getppid()
n = 0
while time.time() < end and os.getppid() == parent:
    for _ in range(1000):
        for a, b in pairs:
            if libc.renameat2(-100, a, -100, b, 2) != 0:
                sys.exit("renameat2: errno %d" % ctypes.get_errno())
        n += 1
print(n)
`;

function python(code: string, ...args: string[]): string {
  return execFileSync("python3", ["-c", code, ...args], { encoding: "utf8" });
}

describe("hostile trees on POSIX", { timeout: SOAK ? 300_000 : 60_000 }, () => {
  let wh: Scratch;
  let outside: string;
  let outsideBefore: string;
  const racers: ChildProcess[] = [];

  before(() => {
    wh = makeScratch({
      policy: policyFor("staff"),
      locations: `[databases]
sales = @ROOT@/sales.db
[tables]
sales.t_plain = @ROOT@/sales.db/t_plain
sales.t_deep = @ROOT@/sales.db/t_deep
sales.t_link = @ROOT@/sales.db/t_link
sales.t_seg = @ROOT@/linkseg/t
sales.t_race = @ROOT@/sales.db/t_race
sales.t_race2 = @ROOT@/sales.db/t_race2
`,
      extraConfig: "[safety]\nmax_removals_percent = 100\n",
      dirs: ["sales.db/t_plain/sub", "sales.db/t_race/victim/sub", "sales.db/t_race2"],
    });
    outside = join(wh.dir, "outside");
    for (const d of ["victim", "seg/t", "racedir/sub", "race2dir"])
      mkdirSync(join(outside, d), { recursive: true });
    for (const f of [
      "secret",
      "hardsecret",
      "victim/f",
      "seg/t/f",
      "racedir/f",
      "racedir/sub/f",
      "race2dir/f",
    ])
      writeFileSync(join(outside, f), "s");

    const plain = wh.p("sales.db/t_plain");
    for (let i = 0; i < 5; i++) writeFileSync(join(plain, `part-${i}`), "");
    symlinkSync(join(outside, "secret"), join(plain, "link_file"));
    symlinkSync(outside, join(plain, "link_dir"));
    symlinkSync("../../../../outside/secret", join(plain, "sub", "rel"));
    execFileSync("mkfifo", [join(plain, "fifo")]);
    execFileSync("mknod", [join(plain, "chr"), "c", "1", "3"]);
    execFileSync("mknod", [join(plain, "blk"), "b", "7", "250"]);
    python("import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])", join(plain, "sock"));
    linkSync(join(outside, "hardsecret"), join(plain, "hard"));
    writeFileSync(join(plain, "new\nline"), "");
    mkdirSync(join(plain, "dir\nname"));
    writeFileSync(join(plain, "dir\nname", "f"), "");
    python(
      "import os,sys; d=os.fsencode(sys.argv[1]); open(d+b'/bad\\xff','w').close(); os.mkdir(d+b'/baddir\\xfe'); open(d+b'/baddir\\xfe/f','w').close()",
      plain,
    );

    let deep = wh.p("sales.db/t_deep");
    for (let i = 0; i < DEPTH; i++) deep = join(deep, "d");
    mkdirSync(deep, { recursive: true });
    writeFileSync(join(deep, "leaf"), "");

    symlinkSync(join(outside, "victim"), wh.p("sales.db/t_link"));
    symlinkSync(join(outside, "seg"), wh.p("linkseg"));

    for (let i = 0; i < 50; i++) writeFileSync(wh.p(`sales.db/t_race/victim/f${i}`), "");
    writeFileSync(wh.p("sales.db/t_race/victim/sub/f"), "");
    symlinkSync(join(outside, "racedir"), wh.p("sales.db/t_race/evil"));
    for (let i = 0; i < 20; i++) writeFileSync(wh.p(`sales.db/t_race2/f${i}`), "");
    symlinkSync(join(outside, "race2dir"), wh.p("sales.db/t_race2_evil"));

    outsideBefore = stateOf(outside);
  });
  after(() => {
    for (const r of racers) if (r.exitCode === null) r.kill("SIGKILL");
    wh.cleanup();
  });

  async function applyOnce() {
    const session = await openSessionFor(wh.config);
    const limit = deadline(30_000, "apply");
    try {
      return await Promise.race([applyChanges(session, { force: true }), limit.promise]);
    } finally {
      limit.clear();
      await session.target.close();
    }
  }

  it("writes the tree, skips and reports every symlink, special file, hard link and bad name once", async () => {
    const r = await applyOnce();
    assert.equal(r.failed, 0, JSON.stringify(r.plan.problems));
    const rel = (p: string) => p.slice(wh.root.length + 1);
    const skipped = r.plan.skipped.map((s) => `${rel(s.path)} ${s.reason}`);
    assert.equal(new Set(skipped).size, skipped.length, `reported once: ${skipped.join("; ")}`);
    const t = "sales.db/t_plain";
    for (const want of [
      `${t}/link_file symlink`,
      `${t}/link_dir symlink`,
      `${t}/sub/rel symlink`,
      `${t}/fifo special-file`,
      `${t}/chr special-file`,
      `${t}/blk special-file`,
      `${t}/sock special-file`,
      `${t}/hard hardlink`,
      `${t}/bad\uFFFD error`,
      `${t}/baddir\uFFFD error`,
      "sales.db/t_link symlink",
      "linkseg/t symlink",
      "sales.db/t_race/evil symlink",
      "sales.db/t_race2_evil symlink",
    ]) {
      assert.ok(skipped.includes(want), `expected "${want}" among ${skipped.join("; ")}`);
    }
    assert.equal(stateOf(outside), outsideBefore, "nothing outside the tree changed");

    assert.ok(getfacl(wh.p(`${t}/part-0`)).includes("group:users:rw-"));
    assert.ok(
      getfacl(wh.p(`${t}/new\nline`)).includes("group:users:rw-"),
      "a newline in a name is just a name",
    );
    assert.ok(getfacl(wh.p(`${t}/dir\nname/f`)).includes("group:users:rw-"));
    const leaf = wh.p(`sales.db/t_deep/${"d/".repeat(DEPTH)}leaf`);
    assert.ok(getfacl(leaf).includes("group:staff:r--"), "the bottom of a deep tree is reached");
    const bad = python(
      "import os,sys; d=os.fsencode(sys.argv[1]); print(sorted(os.listxattr(d+n) for n in (b'/bad\\xff', b'/baddir\\xfe', b'/baddir\\xfe/f')))",
      wh.p(t),
    );
    assert.equal(bad.trim(), "[[], [], []]", "names that are not UTF-8 are not written");

    const session = await openSessionFor(wh.config);
    try {
      const plan = await computePlan(session);
      assert.equal(plan.summary.changed, 0, JSON.stringify(plan.changes.slice(0, 3)));
    } finally {
      await session.target.close();
    }
  });

  it("never writes outside while directories are swapped for symlinks during apply", async (t) => {
    const racer = spawn(
      "python3",
      [
        "-c",
        RACER,
        String(RACE_SECONDS),
        wh.p("sales.db/t_race/victim"),
        wh.p("sales.db/t_race/evil"),
        wh.p("sales.db/t_race2"),
        wh.p("sales.db/t_race2_evil"),
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    racers.push(racer);
    let out = "";
    racer.stdout.setEncoding("utf8").on("data", (d: string) => {
      out += d;
    });
    racer.stderr.setEncoding("utf8").on("data", (d: string) => {
      out += d;
    });
    const done = new Promise<number | null>((resolve) => racer.on("exit", (code) => resolve(code)));
    let running = true;
    void done.then(() => {
      running = false;
    });
    let rounds = 0;
    const codes = new Map<string, number>();
    while (running) {
      wh.write("policy", policyFor(rounds % 2 === 0 ? "adm" : "staff"));
      const r = await applyOnce();
      for (const p of r.plan.problems) codes.set(p.code, (codes.get(p.code) ?? 0) + 1);
      rounds++;
    }
    assert.equal(await done, 0, out);
    t.diagnostic(`${rounds} applies against ${out.trim()} swaps; problems ${JSON.stringify([...codes])}`);
    assert.ok(rounds > 1);
    assert.equal(stateOf(outside), outsideBefore, "nothing outside the tree changed");
  });
});
