// The access matrix as text (objects down, principals across, `desired→actual` where they differ)
// and as CSV (one line per object and principal, for spreadsheets and scripts).

import type { AccessMatrix, ReadWrite } from "./matrix.ts";
import { plural, type Style } from "./style.ts";

function rw(x: ReadWrite | null): string {
  return x === null ? "??" : `${x.read ? "r" : "-"}${x.write ? "w" : "-"}`;
}

export function renderMatrix(m: AccessMatrix, s: Style): string {
  const header = ["object", ...m.principals];
  const lines = m.rows.map((r) => [
    r.object,
    ...m.principals.map((p) => {
      const c = r.cells[p]!;
      return c.drift ? `!${rw(c.desired)}→${rw(c.actual)}` : rw(c.desired);
    }),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const row = (cols: string[]) =>
    cols
      .map((c, i) => c.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  const paint = (line: string) => (line.includes("!") ? s.yellow(line) : line);
  const out = [s.bold(row(header)), ...lines.map((l) => paint(row(l)))];
  const drift = m.rows.reduce((n, r) => n + r.drift, 0);
  for (const r of m.rows)
    if (r.unreadable) out.push(s.red(`${r.object}: ${r.path} unreadable: ${r.unreadable}`));
  out.push(
    s.dim(
      `page ${m.page} of ${m.pages} (${plural(m.objects, "object")}); rw = read/write the grants give; ` +
        `!desired→actual marks drift`,
    ),
  );
  out.push(
    drift === 0
      ? s.green("No drift on this page.")
      : s.yellow(`${plural(drift, "cell")} with drift on this page.`),
  );
  return `${out.join("\n")}\n`;
}

/** Quoted where needed; a leading = + - @ is defused so a spreadsheet never runs a name as a formula. */
function csvField(v: string): string {
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function renderMatrixCsv(m: AccessMatrix): string {
  const out = ["object,kind,path,principal,desired_read,desired_write,actual_read,actual_write,drift"];
  const b = (x: boolean | undefined) => (x === undefined ? "" : String(x));
  for (const r of m.rows) {
    for (const p of m.principals) {
      const c = r.cells[p]!;
      out.push(
        [
          r.object,
          r.kind,
          r.path,
          p,
          b(c.desired.read),
          b(c.desired.write),
          b(c.actual?.read),
          b(c.actual?.write),
          b(c.drift),
        ]
          .map(csvField)
          .join(","),
      );
    }
  }
  return `${out.join("\n")}\n`;
}
