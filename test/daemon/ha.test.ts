// Two daemons with ha = true sharing one PostgreSQL state: one leads and alone writes, the other
// stands by ready; after a kill -9 of the leader the standby takes over and applies a policy edit.

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { getfacl, grantsync, grantsyncJson } from "../helpers/cli.ts";
import { type DaemonProcess, parsePrometheus, startDaemon, waitFor } from "../helpers/daemon.ts";
import { DEFAULT_POLICY, makeWarehouse, type Warehouse } from "../helpers/warehouse.ts";
import { createDb, type TestDb } from "../sources/fixtures.ts";

async function role(d: DaemonProcess): Promise<string | undefined> {
  const r = await d.get("/readyz").catch(() => undefined);
  if (r?.status !== 200) return undefined;
  return (JSON.parse(r.body) as { role?: string }).role;
}

/** Every path a daemon wrote, with the second it wrote it in (from its debug log). */
function writeSeconds(d: DaemonProcess): Set<number> {
  return new Set(
    d.logs
      .filter((l) => l.msg === "path changed")
      .map((l) => Math.floor(Date.parse(l.time as string) / 1000)),
  );
}

describe("two daemons with ha = true on one PostgreSQL state", () => {
  let db: TestDb;
  let wh: Warehouse;
  const daemons: DaemonProcess[] = [];
  let leader: DaemonProcess;
  let standby: DaemonProcess;
  let killedAt = 0;

  before(async () => {
    db = await createDb("postgres");
    wh = makeWarehouse({
      extraConfig: `url = ${db.url}\n[daemon]\nlisten = 127.0.0.1:0\nha = true\nha_check_interval = 500ms\ndebounce = 100ms\n[log]\nlevel = debug\n`,
    });
    daemons.push(startDaemon(wh.config), startDaemon(wh.config));
  });
  after(async () => {
    for (const d of daemons) await d.stop("SIGKILL");
    wh?.cleanup();
    await db?.drop();
  });

  it("one reports role leader and applies the grants; the other reports standby, and is ready", async () => {
    const roles = await waitFor(
      async () => {
        const rs = await Promise.all(daemons.map(role));
        return rs.includes("leader") && rs.includes("standby") ? rs : undefined;
      },
      15_000,
      "one leader and one standby",
    );
    leader = daemons[roles.indexOf("leader")]!;
    standby = daemons[roles.indexOf("standby")]!;
    await waitFor(() => getfacl(wh.p("sales.db/orders")).includes("group:users:rwx"), 15_000, "the grants");
    // Only our samples: prom-client's default event-loop gauges can print "Nan" right after start.
    const metrics = async (d: DaemonProcess) =>
      parsePrometheus(
        (await d.get("/metrics")).body
          .split("\n")
          .filter((l) => /^(# (HELP|TYPE) )?grantsync_leader/.test(l))
          .join("\n"),
      );
    assert.equal((await metrics(leader)).get("grantsync_leader"), 1);
    assert.equal((await metrics(leader)).get("grantsync_leader_changes_total"), 1);
    assert.equal((await metrics(standby)).get("grantsync_leader"), 0);
    assert.ok(leader.logs.some((l) => l.msg.startsWith("became the leader")));
    assert.ok(standby.logs.some((l) => l.msg === "standby: another daemon leads"));
  });

  it("a manual apply is refused while the leader holds the state lock", () => {
    const r = grantsync(["apply", "-c", wh.config, "--yes"]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /GS_LOCKED the state is locked by grantsync@.*\(daemon\)/);
  });

  it("after kill -9 of the leader, a policy edit is on disk within 20 s, applied by the other", async () => {
    leader.child.kill("SIGKILL");
    await leader.exited;
    killedAt = Date.now();
    wh.writePolicy(DEFAULT_POLICY.replace("table=orders->action=all", "table=orders->action=select"));
    await waitFor(
      () => getfacl(wh.p("sales.db/orders")).includes("group:users:r-x"),
      20_000,
      "the edit on disk",
      100,
    );
    // Ready as the leader once its first run (which settles the dead leader's) has completed.
    await waitFor(async () => (await role(standby)) === "leader", 15_000, "the new leader to be ready");
    assert.ok(standby.logs.some((l) => l.msg.startsWith("became the leader")));
    assert.ok(
      standby.logs.some((l) => l.msg === "path changed" && l.path === wh.p("sales.db/orders")),
      "the former standby wrote it",
    );
  });

  it("grantsync runs lists the runs of both daemons from the database", () => {
    const { code, json } = grantsyncJson<{ run: string; time: string; complete: boolean }[]>([
      "runs",
      "--config",
      wh.config,
    ]);
    assert.equal(code, 0);
    const times = json.map((r) => Date.parse(r.time));
    assert.ok(
      times.some((t) => t < killedAt),
      "the first leader's run",
    );
    assert.ok(
      times.some((t) => t > killedAt),
      "the second leader's run",
    );
  });

  it("the two daemons never wrote in the same second", () => {
    const [a, b] = daemons.map(writeSeconds);
    assert.ok(a!.size > 0 && b!.size > 0, "both wrote");
    assert.deepEqual(
      [...a!].filter((s) => b!.has(s)),
      [],
    );
  });
});
