// The daemon on a real POSIX tree: a policy edit (in place, by rename, in a per-database file)
// reaches the disk within 2 s touching only the affected object's paths; a bad or missing source
// changes nothing, turns /readyz not-ready and shows in /metrics, and a later fix recovers.

import assert from "node:assert/strict";
import { readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { parseJournal } from "../../src/reconcile/journal.ts";
import { getfacl } from "../helpers/cli.ts";
import { type DaemonProcess, parsePrometheus, startDaemon, waitFor, waitReady } from "../helpers/daemon.ts";
import { DEFAULT_POLICY, makeWarehouse, type Warehouse } from "../helpers/warehouse.ts";

const ORDERS_PATHS = ["sales.db/orders", "archive/orders/dt=2023-12-31"];

describe("grantsync daemon watching its sources", () => {
  let wh: Warehouse;
  let d: DaemonProcess;
  const journalDir = () => join(wh.state, "journal");
  const journals = () => new Set(readdirSync(journalDir()));
  const ordersAcl = () => getfacl(wh.p("sales.db/orders"));
  const everyAcl = () =>
    ["sales.db", "sales.db/customers", "sales.db/customers/part-0.csv", ...ORDERS_PATHS].map((p) =>
      getfacl(wh.p(p)),
    );
  const policyWith = (action: string) =>
    DEFAULT_POLICY.replace("table=orders->action=all", `table=orders->${action}`);

  /** Writes the change, then polls getfacl until `expected` is on disk; returns the latency. */
  async function editAndSee(edit: () => void, expected: string): Promise<number> {
    const t0 = Date.now();
    edit();
    await waitFor(() => ordersAcl().includes(expected), 2000, `${expected} on sales.db/orders`, 10);
    return Date.now() - t0;
  }

  /** The paths the runs journaled since `seen`. */
  function journaledSince(seen: Set<string>): string[] {
    return [...journals()]
      .filter((f) => !seen.has(f))
      .flatMap((f) =>
        parseJournal(readFileSync(join(journalDir(), f), "utf8"), f).changes.map((c) => c.path),
      );
  }

  before(async () => {
    wh = makeWarehouse({ extraConfig: "[daemon]\nlisten = 127.0.0.1:0\ndebounce = 100ms\n" });
    d = startDaemon(wh.config);
    await waitReady(d);
  });
  after(async () => {
    await d?.stop();
    wh.cleanup();
  });

  it("applies an in-place policy edit within 2 s, touching only the edited object's paths", async (t) => {
    assert.ok(ordersAcl().includes("group:users:rwx"), "the start-up run applied the grants");
    const seen = journals();
    const ms = await editAndSee(() => wh.writePolicy(policyWith("action=select")), "group:users:r-x");
    t.diagnostic(`in-place edit on disk after ${ms} ms`);
    await waitFor(() => journaledSince(seen).length === 5, 2000, "the journal of the run");
    const touched = journaledSince(seen);
    for (const p of touched)
      assert.ok(
        ORDERS_PATHS.some((o) => p.startsWith(wh.p(o))),
        `${p} belongs to sales.orders`,
      );
    const run = await waitFor(
      () => d.logs.find((l) => l.msg.startsWith("reconcile") && (l.reasons as string[]).includes("watch")),
      2000,
      "the run's log line",
    );
    assert.equal(run.scope, 3, "only the table's location and its two partitions are walked");
    assert.match(String(run.run), /^\d{8}T\d{6}\.\d{3}Z-/, "the run id is logged");
  });

  it("sees an editor's save by temp file and rename", async (t) => {
    const seen = journals();
    const ms = await editAndSee(() => {
      writeFileSync(`${wh.policy}.tmp`, policyWith("action=insert"));
      renameSync(`${wh.policy}.tmp`, wh.policy);
    }, "group:users:-wx");
    t.diagnostic(`rename save on disk after ${ms} ms`);
    for (const p of journaledSince(seen))
      assert.ok(
        ORDERS_PATHS.some((o) => p.startsWith(wh.p(o))),
        p,
      );
  });

  it("keeps the last good model on an invalid edit, reports it, and recovers on a fix", async () => {
    const acls = everyAcl();
    wh.writePolicy(policyWith("select"));
    const body = JSON.parse(await waitReady(d, 503, 3000)) as { reason: string; errors: string[] };
    assert.match(body.reason, /sources invalid/);
    assert.match(body.errors[0]!, /sentry-provider\.ini:7: GS_POLICY_SYNTAX/);
    assert.ok(
      d.logs.some((l) => l.level === 50 && /sentry-provider\.ini:7: GS_POLICY_SYNTAX/.test(l.msg)),
      "the error is logged as FILE:LINE: CODE message",
    );
    const metrics = parsePrometheus((await d.get("/metrics")).body);
    assert.equal(metrics.get("grantsync_policy_valid"), 0);
    assert.equal(metrics.get('grantsync_reconcile_errors_total{code="GS_POLICY_SYNTAX"}'), 1);
    assert.deepEqual(everyAcl(), acls, "no ACL changed");

    await editAndSee(() => wh.writePolicy(DEFAULT_POLICY), "group:users:rwx");
    await waitReady(d, 200, 2000);
    assert.equal(parsePrometheus((await d.get("/metrics")).body).get("grantsync_policy_valid"), 1);
  });

  it("treats a locations file that cannot be read as invalid: nothing is revoked", async () => {
    const acls = everyAcl();
    const text = readFileSync(wh.locations, "utf8");
    rmSync(wh.locations);
    const body = JSON.parse(await waitReady(d, 503, 3000)) as { errors: string[] };
    assert.match(body.errors.join("\n"), /GS_CATALOG_READ|locations\.ini/);
    assert.deepEqual(everyAcl(), acls);
    writeFileSync(wh.locations, text);
    await waitReady(d, 200, 3000);
    assert.deepEqual(everyAcl(), acls);
  });

  it("follows per-database policy files named by the policy, including ones added later", async () => {
    const dbFile = join(wh.dir, "sales-db.ini");
    const dbPolicy = (action: string) =>
      `[groups]\nstaff = customers_${action}\n[roles]\ncustomers_${action} = server=server1->db=sales->table=customers->action=${action}\n`;
    writeFileSync(dbFile, dbPolicy("insert"));
    wh.writePolicy(`${DEFAULT_POLICY}\n[databases]\nsales = ${dbFile}\n`);
    await waitFor(
      () => getfacl(wh.p("sales.db/customers")).includes("group:staff:rwx"),
      2000,
      "the per-db grant",
    );
    const t0 = Date.now();
    writeFileSync(dbFile, dbPolicy("select"));
    await waitFor(
      () => getfacl(wh.p("sales.db/customers")).includes("group:staff:r-x"),
      2000,
      "the per-db grant narrowed",
    );
    assert.ok(Date.now() - t0 < 2000);
  });

  it("serves valid Prometheus text with every grantsync metric", async () => {
    const res = await d.get("/metrics");
    assert.equal(res.status, 200);
    const m = parsePrometheus(res.body);
    for (const name of [
      'grantsync_reconcile_total{result="success"}',
      "grantsync_reconcile_duration_seconds_count",
      "grantsync_paths_scanned_total",
      "grantsync_entries_added_total",
      "grantsync_entries_removed_total",
      "grantsync_last_success_timestamp_seconds",
      "grantsync_policy_load_age_seconds",
      "grantsync_policy_valid",
      "grantsync_pending_triggers",
      "process_cpu_user_seconds_total",
    ]) {
      assert.ok(m.has(name), `${name} is exposed`);
    }
    assert.ok(m.get('grantsync_reconcile_total{result="success"}')! >= 5);
    assert.ok(m.get("grantsync_policy_load_age_seconds")! < 60);
    assert.equal((await d.get("/healthz")).status, 200);
    assert.equal((await d.get("/nope")).status, 404);
  });
});
