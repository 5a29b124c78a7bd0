// The HTML report: one self-contained page (inline CSS and JS, a CSP that forbids loading anything)
// with the access matrix and its filters, drift per object, the last runs, ignored grants and
// unknown principals. Pure: data in, text out; every name from a source is escaped.

import type { AccessMatrix, MatrixCell, ReadWrite } from "./matrix.ts";

export interface ReportData {
  generatedAt: string;
  target: string;
  matrix: AccessMatrix;
  runs: { run: string; kind: string; time: string; changes: number; outcome: string; of?: string }[];
  ignoredGrants: { role: string; principal: string; privilege: string; source: string; reason: string }[];
  ignoredLocations: { object: string; uri: string; source: string; reason: string }[];
  unknownPrincipals: string[];
}

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

const h = escapeHtml;

function rw(x: ReadWrite | null): string {
  return x === null ? "??" : `${x.read ? "r" : "-"}${x.write ? "w" : "-"}`;
}

function cell(principal: string, c: MatrixCell): string {
  const title = `${principal}: grants give ${rw(c.desired)}, the ACL gives ${rw(c.actual)}`;
  const text = c.drift ? `${rw(c.desired)} → ${rw(c.actual)}` : rw(c.desired);
  const cls = c.drift ? "drift" : c.desired.read || c.desired.write ? "ok" : "none";
  return `<td class="${cls}" data-principal="${h(principal)}" title="${h(title)}">${h(text)}</td>`;
}

function table(id: string, head: string[], rows: string[][], empty: string): string {
  if (rows.length === 0) return `<p class="empty" id="${id}">${h(empty)}</p>`;
  const th = head.map((x) => `<th>${h(x)}</th>`).join("");
  const body = rows.map((r) => `<tr>${r.map((x) => `<td>${h(x)}</td>`).join("")}</tr>`).join("\n");
  return `<table id="${id}"><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

function matrixTable(m: AccessMatrix): string {
  const head = m.principals.map((p) => `<th data-principal="${h(p)}">${h(p)}</th>`).join("");
  const rows = m.rows.map((r) => {
    const cells = m.principals.map((p) => cell(p, r.cells[p]!)).join("");
    const note = r.unreadable ? ` <span class="bad">(${h(r.unreadable)})</span>` : "";
    return (
      `<tr data-object="${h(r.object)}" data-drift="${r.drift}">` +
      `<th scope="row" title="${h(r.path)}">${h(r.object)}${note}</th>${cells}</tr>`
    );
  });
  return (
    `<table id="matrix"><thead><tr><th>object</th>${head}</tr></thead><tbody>\n` +
    `${rows.join("\n")}\n</tbody></table>`
  );
}

const CSS = `
body{font:14px/1.4 system-ui,sans-serif;margin:1.5rem;color:#1d2330}
h1{font-size:1.4rem;margin:0 0 .2rem}h2{font-size:1.1rem;margin:1.6rem 0 .5rem}
.meta,.empty{color:#5b6475}
table{border-collapse:collapse;margin:.3rem 0}
th,td{border:1px solid #d5dae3;padding:.2rem .5rem;text-align:left;white-space:nowrap}
thead th{background:#eef1f6;position:sticky;top:0}
#matrix td{font-family:ui-monospace,monospace;text-align:center}
td.ok{background:#e5f5e8}td.drift{background:#fde2cf;font-weight:600}td.none{color:#a0a7b4}
.bad{color:#b3261e}
.filters{display:flex;gap:1rem;align-items:center;flex-wrap:wrap;margin:.8rem 0}
.filters input[type=text]{padding:.25rem .4rem;min-width:14rem}
[hidden]{display:none!important}
`;

// Filters work on the rendered table: a filter with * or ? is a glob, otherwise a substring.
const JS = `
(function(){
  function matcher(text){
    text=text.trim();
    if(!text)return function(){return true};
    if(!/[*?]/.test(text))return function(s){return s.indexOf(text)>=0};
    var re=new RegExp('^'+text.replace(/[.+^$|()[\\]{}\\\\]/g,'\\\\$&').replace(/\\*/g,'.*').replace(/\\?/g,'.')+'$');
    return function(s){return re.test(s)};
  }
  var p=document.getElementById('principal'),o=document.getElementById('object'),d=document.getElementById('drift-only');
  var m=document.getElementById('matrix'),shown=document.getElementById('shown');
  function apply(){
    if(!m)return;
    var mp=matcher(p.value),mo=matcher(o.value),only=d.checked;
    var mpKey=function(k){return mp(k)||mp(k.slice(k.indexOf(':')+1))};
    m.querySelectorAll('[data-principal]').forEach(function(c){c.hidden=!mpKey(c.getAttribute('data-principal'))});
    var n=0;
    m.querySelectorAll('tbody tr').forEach(function(r){
      var drift=r.querySelectorAll('td.drift:not([hidden])').length>0;
      r.hidden=!mo(r.getAttribute('data-object'))||(only&&!drift);
      if(!r.hidden)n++;
    });
    shown.textContent=n+' of '+m.querySelectorAll('tbody tr').length+' objects shown';
  }
  [p,o].forEach(function(e){e.addEventListener('input',apply)});
  d.addEventListener('change',apply);
  apply();
})();
`;

export function renderHtmlReport(d: ReportData): string {
  const m = d.matrix;
  const driftRows = m.rows
    .filter((r) => r.drift > 0)
    .map((r) => [
      r.object,
      r.path,
      String(r.drift),
      m.principals.filter((p) => r.cells[p]!.drift).join(", "),
    ]);
  const driftCells = m.rows.reduce((n, r) => n + r.drift, 0);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>grantsync report: ${h(d.target)}</title>
<style>${CSS}</style></head>
<body>
<h1>Who can read what</h1>
<p class="meta">${h(d.target)} · generated ${h(d.generatedAt)} · ${m.objects} objects, ${m.principals.length} principals, ${driftCells} cells with drift</p>
<h2>Access matrix</h2>
<p class="meta">Each cell: what the grants give (r = read, w = write); where the ACL on the object's location differs, <b>grants → ACL</b>.</p>
<div class="filters">
<label>principal <input type="text" id="principal" placeholder="group:ana* or alice"></label>
<label>object <input type="text" id="object" placeholder="sales.*"></label>
<label><input type="checkbox" id="drift-only"> drift only</label>
<span id="shown" class="meta"></span>
</div>
${m.rows.length === 0 ? '<p class="empty">No object has a managed location.</p>' : matrixTable(m)}
<h2>Drift per object</h2>
${table("drift", ["object", "location", "cells", "principals"], driftRows, "No drift: every location carries what the grants give.")}
<h2>Last runs</h2>
${table(
  "runs",
  ["run", "kind", "time", "paths changed", "outcome"],
  d.runs.map((r) => [r.run, r.of ? `${r.kind} of ${r.of}` : r.kind, r.time, String(r.changes), r.outcome]),
  "No run has changed anything yet.",
)}
<h2>Ignored grants</h2>
${table(
  "ignored",
  ["role", "principal", "privilege", "source", "why"],
  d.ignoredGrants.map((g) => [g.role, g.principal, g.privilege, g.source, g.reason]),
  "Every grant produces ACL entries.",
)}
${table(
  "ignored-locations",
  ["object", "location", "source", "why"],
  d.ignoredLocations.map((l) => [l.object, l.uri, l.source, l.reason]),
  "Every location is managed.",
)}
<h2>Unknown principals</h2>
${table(
  "unknown",
  ["principal"],
  d.unknownPrincipals.map((p) => [p]),
  "Every granted user and group exists on the target.",
)}
<script>${JS}</script>
</body></html>
`;
}
