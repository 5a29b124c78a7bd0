// What the unauthenticated health server gives away: /readyz names codes and locations, never a
// source's own text; a listen address reachable from other hosts is warned about at start.

import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { describe, it } from "node:test";
import { startDaemon, waitFor } from "../helpers/daemon.ts";
import { makeWarehouse } from "../helpers/warehouse.ts";

describe("the health endpoint's exposure", () => {
  it("warns about a non-loopback listen and keeps source text out of /readyz", async (t) => {
    const wh = makeWarehouse({ extraConfig: "[daemon]\nlisten = 0.0.0.0:0\ndebounce = 50ms\n" });
    t.after(() => wh.cleanup());
    const policy = readFileSync(wh.policy, "utf8");
    writeFileSync(wh.policy, `${policy}\n[groups]\nthis line is not ini CONFIDENTIAL-TEXT\n`);
    const d = startDaemon(wh.config);
    t.after(() => d.stop());
    // 503 from the start; the errors appear once the first load has failed.
    const body = await waitFor(
      async () => {
        const r = await d.get("/readyz");
        const b = JSON.parse(r.body) as { errors?: string[] };
        return r.status === 503 && b.errors ? { errors: b.errors } : undefined;
      },
      15_000,
      "/readyz to name the errors",
    );
    assert.ok(
      body.errors.some((e) => /sentry-provider\.ini:\d+: GS_POLICY_SYNTAX$/.test(e)),
      body.errors.join("\n"),
    );
    assert.doesNotMatch(JSON.stringify(body), /CONFIDENTIAL/);
    const warning = await waitFor(
      () => d.logs.find((l) => l.level === 40 && /not a loopback address/.test(l.msg)),
      5000,
      "the listen warning",
    );
    assert.match(warning.msg, /0\.0\.0\.0/);
  });
});
