import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { escapeHtml, type ReportData, renderHtmlReport } from "../../src/report/html.ts";

const data: ReportData = {
  generatedAt: "2026-01-01T00:00:00.000Z",
  target: "posix",
  matrix: {
    principals: ["group:<b>staff</b>", "user:eve"],
    rows: [
      {
        object: "sales.orders",
        kind: "table",
        path: "/w/sales.db/orders",
        drift: 1,
        cells: {
          "group:<b>staff</b>": {
            desired: { read: true, write: false },
            actual: { read: true, write: false },
            drift: false,
          },
          "user:eve": {
            desired: { read: false, write: false },
            actual: { read: true, write: true },
            drift: true,
          },
        },
      },
    ],
    page: 1,
    pageSize: 1,
    pages: 1,
    objects: 1,
  },
  runs: [
    {
      run: "20260101T000000Z-1",
      kind: "apply",
      time: "2026-01-01T00:00:00Z",
      changes: 3,
      outcome: "completed",
    },
  ],
  ignoredGrants: [
    {
      role: "admin",
      principal: "group:ops",
      privilege: "server=server1",
      source: "p.ini:9",
      reason: "a server-level grant",
    },
  ],
  ignoredLocations: [],
  unknownPrincipals: ["group:ghosts"],
};

describe("the HTML report", () => {
  const html = renderHtmlReport(data);

  it("loads nothing from anywhere: no URL, and a CSP that forbids it", () => {
    assert.doesNotMatch(html, /(?:https?:)?\/\/[a-z0-9]/i);
    assert.doesNotMatch(html, /<(?:link|img|iframe)\b|\ssrc=/i);
    assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
  });

  it("escapes every name from a source", () => {
    assert.doesNotMatch(html, /<b>staff<\/b>/);
    assert.match(html, /data-principal="group:&lt;b&gt;staff&lt;\/b&gt;"/);
    assert.equal(escapeHtml(`"'&<>`), "&quot;&#39;&amp;&lt;&gt;");
  });

  it("marks drift as grants → ACL, and lists runs, ignored grants and unknown principals", () => {
    assert.match(html, /<td class="drift" data-principal="user:eve"[^>]*>-- → rw<\/td>/);
    assert.match(html, /<td>20260101T000000Z-1<\/td><td>apply<\/td>.*<td>3<\/td><td>completed<\/td>/);
    assert.match(html, /<td>a server-level grant<\/td>/);
    assert.match(html, /<td>group:ghosts<\/td>/);
  });
});
