// `grantsync report --html` through the real CLI, the daemon's /report, and the page in headless
// Chromium (Debian's chromium, driven by playwright-core): it renders, and its filters work.

import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { grantsync, setfacl } from "../helpers/cli.ts";
import { startDaemon, waitReady } from "../helpers/daemon.ts";
import { makeWarehouse, type Warehouse } from "../helpers/warehouse.ts";

const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

describe("the HTML report", () => {
  let wh: Warehouse;
  let html: string;
  before(() => {
    wh = makeWarehouse({
      extraConfig: "[daemon]\nlisten = 127.0.0.1:0\ndebounce = 50ms\n",
      policy:
        "[groups]\nstaff = sales_reader\nusers = orders_all\nghosts-gs19 = sales_reader\nops = admin\n[roles]\n" +
        "sales_reader = server=server1->db=sales->action=select\n" +
        "orders_all = server=server1->db=sales->table=orders->action=all\nadmin = server=server1\n",
    });
    html = join(wh.dir, "report.html");
  });
  after(() => wh.cleanup());

  it("writes one page naming principals, objects, runs, ignored grants and unknown principals", () => {
    assert.equal(grantsync(["apply", "-c", wh.config, "--yes"]).code, 0);
    setfacl(["-m", "g:users:r-x", wh.p("sales.db/orders")]);
    const r = grantsync(["report", "-c", wh.config, "--html", html]);
    assert.equal(r.code, 0, r.stderr);
    const page = readFileSync(html, "utf8");
    assert.doesNotMatch(page, /(?:https?:)?\/\/[a-z0-9]/i);
    for (const name of ["group:staff", "group:users", "sales.customers", "sales.orders"])
      assert.ok(page.includes(name));
    assert.match(page, /<td>a server-level grant \(for admins\) produces no file ACL<\/td>/);
    assert.match(page, /<td>group:ghosts-gs19<\/td>/);
    assert.match(page, /<td>completed<\/td>/);
  });

  it("renders in headless Chromium, and its filters hide principals and objects", async () => {
    const profile = mkdtempSync(join(tmpdir(), "gs-chromium-"));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: "/usr/bin/chromium",
      headless: true,
      args: CHROMIUM_FLAGS,
    });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      const requested: string[] = [];
      page.on("request", (req) => requested.push(req.url()));
      await page.goto(pathToFileURL(html).href);
      const rows = () =>
        page.$$eval("#matrix tbody tr", (trs) =>
          trs
            .filter((r) => !(r as unknown as { hidden: boolean }).hidden)
            .map((r) => r.getAttribute("data-object")),
        );
      const visible = (sel: string) =>
        page.$$eval(sel, (els) =>
          els.filter((e) => !(e as unknown as { hidden: boolean }).hidden).map((e) => e.textContent?.trim()),
        );
      assert.deepEqual(await visible("#matrix thead th[data-principal]"), [
        "group:ghosts-gs19",
        "group:staff",
        "group:users",
      ]);
      assert.deepEqual(await rows(), ["sales", "sales.customers", "sales.orders"]);
      assert.match((await page.textContent("#shown")) ?? "", /^3 of 3 objects shown$/);

      await page.fill("#principal", "users");
      assert.deepEqual(await visible("#matrix thead th[data-principal]"), ["group:users"]);
      await page.fill("#object", "sales.c*");
      assert.deepEqual(await rows(), ["sales.customers"]);
      await page.fill("#object", "");
      await page.check("#drift-only");
      assert.deepEqual(await rows(), ["sales.orders"]);
      await page.uncheck("#drift-only");
      await page.fill("#principal", "");

      const shot = process.env.GRANTSYNC_REPORT_SCREENSHOT ?? join(profile, "report.png");
      await page.screenshot({ path: shot, fullPage: true });
      assert.deepEqual([...readFileSync(shot).subarray(1, 4)], [0x50, 0x4e, 0x47]);
      assert.deepEqual(
        requested.filter((u) => !u.startsWith("file:")),
        [],
        "the page loads nothing from the network",
      );
    } finally {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    }
  });

  it("is served by the daemon at /report as text/html, beside the health endpoints", async (t) => {
    const d = startDaemon(wh.config);
    t.after(() => d.stop());
    await waitReady(d);
    const res = await fetch(`http://127.0.0.1:${await d.port()}/report`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /^text\/html/);
    const body = await res.text();
    assert.match(body, /<table id="matrix">/);
    assert.ok(body.includes("sales.orders"));
    assert.equal(await d.stop(), 0);
  });
});
