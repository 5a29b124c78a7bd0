// The circuit breaker in the daemon: a small move of a grant is applied within the debounce, a
// mass revocation holds the daemon visibly (/readyz 503, grantsync_breaker_tripped 1, one log line
// per attempt), and the operator's `grantsync apply --force` releases it.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { getfacl, grantsyncAsync } from "../helpers/cli.ts";
import { parsePrometheus, startDaemon, waitFor, waitReady } from "../helpers/daemon.ts";
import { makeWarehouse } from "../helpers/warehouse.ts";

const LISTEN = "[daemon]\nlisten = 127.0.0.1:0\ndebounce = 100ms\n";
const onTable = (table: string) =>
  `[groups]\nstaff = reader\n[roles]\nreader = server=server1->db=sales->table=${table}->action=select\n`;

describe("the circuit breaker in the daemon", () => {
  it("applies a select grant moved from one small table to another without --force", async (t) => {
    const wh = makeWarehouse({ policy: onTable("customers"), extraConfig: LISTEN });
    const d = startDaemon(wh.config);
    // Stopped before its tree goes, or its last run would still be reading what is being deleted.
    t.after(async () => {
      await d.stop();
      wh.cleanup();
    });
    await waitReady(d);
    assert.ok(getfacl(wh.p("sales.db/customers")).includes("group:staff:r-x"));

    wh.writePolicy(onTable("orders"));
    await waitFor(
      () =>
        getfacl(wh.p("sales.db/orders")).includes("group:staff:r-x") &&
        !getfacl(wh.p("sales.db/customers")).includes("group:staff:r-x"),
      2000,
      "the grant to move from customers to orders",
    );
    await waitReady(d);
    assert.equal(d.logs.filter((l) => l.code === "GS_CIRCUIT_BREAKER").length, 0);
  });

  it("turns /readyz 503 while it holds, and resumes after grantsync apply --force", async (t) => {
    const wh = makeWarehouse({ extraConfig: `${LISTEN}[safety]\nmin_removals = 1\n` });
    const d = startDaemon(wh.config);
    // Stopped before its tree goes, or its last run would still be reading what is being deleted.
    t.after(async () => {
      await d.stop();
      wh.cleanup();
    });
    await waitReady(d);
    const tripped = async () =>
      parsePrometheus((await d.get("/metrics")).body).get("grantsync_breaker_tripped");
    assert.equal(await tripped(), 0);

    wh.writePolicy("[groups]\nstaff = nothing\n[roles]\nnothing = server=server1->db=other->action=select\n");
    const body = JSON.parse(await waitReady(d, 503)) as { reason: string; errors: string[] };
    assert.match(body.reason, /circuit breaker holds the daemon.*grantsync apply --force --config/);
    assert.match(
      body.errors[0]!,
      /entries to remove = 100\.0% of the \d+ managed > max_removals_percent 50%/,
    );
    assert.equal(await tripped(), 1);
    assert.equal(d.logs.filter((l) => l.code === "GS_CIRCUIT_BREAKER").length, 1, "one log line per attempt");
    assert.ok(getfacl(wh.p("sales.db/orders")).includes("group:staff:r-x"), "nothing was revoked");

    const forced = await grantsyncAsync(["apply", "-c", wh.config, "--yes", "--force"]);
    assert.equal(forced.code, 0, forced.stderr);
    await waitReady(d, 200, 5000);
    assert.equal(await tripped(), 0);
    assert.ok(!getfacl(wh.p("sales.db/orders")).includes("group:staff:r-x"));
    assert.equal(await d.stop(), 0);
    assert.equal(d.stderr(), "");
  });
});
