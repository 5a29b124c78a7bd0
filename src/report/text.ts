// Human output of every command: plans grouped by object, apply and undo results, explanations,
// validation diagnostics. Pure functions from values to text, styled by the caller's Style.

import type { Explanation } from "../compile/explain.ts";
import type { DesiredState } from "../compile/model.ts";
import { desiredNotices } from "../compile/notices.ts";
import { type Diagnostic, formatDiagnostic } from "../errors.ts";
import { failureHint, unsyncedPaths } from "../reconcile/outcome.ts";
import type { PathProblem, Plan } from "../reconcile/plan.ts";
import type { RunInfo } from "../reconcile/runs.ts";
import type { UndoResult } from "../reconcile/undo.ts";
import { num, plural, type Style } from "./style.ts";

export function renderPlan(
  plan: Plan,
  s: Style,
  opts: { verbose?: boolean; verb?: "to change" | "changed" } = {},
): string {
  const out: string[] = [];
  let folded = false;
  for (const o of plan.objects) {
    const show = (sign: "+" | "-" | "~", entries: Record<string, number>, paint: (t: string) => string) =>
      byPrincipal(entries).map((c) => {
        folded ||= c.folded;
        return (
          paint(`${sign}${c.principal}:${c.perms.join("/")}`) +
          (c.paths === o.paths ? "" : s.dim(` (${num(c.paths)})`))
        );
      });
    const line = [
      ...show("+", o.added, s.green),
      ...show("-", o.removed, s.red),
      ...show("~", o.changed, s.yellow),
    ].join("  ");
    out.push(`${s.bold(o.object)}: ${plural(o.paths, "path")}  ${line}`.trimEnd());
  }
  if (plan.objects.length > 0)
    out.push(
      s.dim(
        `(+ added, - removed, ~ permission changed; r-x/r-- is directories/files${folded ? "; directories carry the same entries as default: entries too" : ""}; --verbose lists every path)`,
      ),
    );
  if (opts.verbose) {
    for (const c of plan.changes) {
      out.push(`${s.yellow("~")} ${c.path}`);
      for (const e of c.added) out.push(`    ${s.green(`+ ${e}`)}`);
      for (const e of c.removed) out.push(`    ${s.red(`- ${e}`)}`);
    }
  }
  out.push(...renderProblems(plan, s));
  const sum = plan.summary;
  const failed = unsyncedPaths(plan).length;
  if (sum.changed === 0 && failed === 0)
    out.push(s.bold("No changes. Every managed path matches the grants."));
  else {
    const verb = opts.verb ?? "to change";
    out.push(
      s.bold(
        `Plan: ${plural(sum.changed, "path")} ${verb} (${num(sum.entriesAdded)} entries added, ${num(sum.entriesRemoved)} removed, ${num(sum.entriesChanged)} changed), ${num(sum.unchanged)} unchanged${failed > 0 ? `, ${plural(failed, "path")} not in line` : ""}.`,
      ),
    );
  }
  return `${out.join("\n")}\n`;
}

/** `Apply incomplete: N paths failed`, the first errors, and what to do about them. */
export function renderIncomplete(failures: readonly PathProblem[], s: Style): string {
  const out = [s.red(s.bold(`Apply incomplete: ${plural(failures.length, "path")} failed`))];
  for (const f of failures.slice(0, 5)) out.push(s.red(`  ${f.path}: ${f.code} ${f.message}`));
  if (failures.length > 5) out.push(s.dim(`  … ${num(failures.length - 5)} more (see --json)`));
  out.push(s.dim(`hint: ${failureHint(failures)}`));
  return `${out.join("\n")}\n`;
}

interface PrincipalChange {
  principal: string;
  /** Permissions it gets, e.g. r-x on directories and r-- on files. */
  perms: string[];
  /** Paths it is added to (or removed from). */
  paths: number;
  /** Whether matching default: entries were folded into it. */
  folded: boolean;
}

/** One item per principal: its access entries' permissions, its default: twins folded in. */
function byPrincipal(entries: Record<string, number>): PrincipalChange[] {
  const out = new Map<string, PrincipalChange>();
  const defaults: [string, string, number][] = [];
  for (const [text, n] of Object.entries(entries)) {
    const cut = text.lastIndexOf(":");
    const key = text.slice(0, cut);
    const perm = text.slice(cut + 1);
    if (key.startsWith("default:")) {
      defaults.push([key, perm, n]);
      continue;
    }
    const c = out.get(key) ?? { principal: key, perms: [], paths: 0, folded: false };
    c.perms.push(perm);
    c.paths += n;
    out.set(key, c);
  }
  for (const [key, perm, n] of defaults) {
    const twin = out.get(key.slice("default:".length));
    if (twin?.perms.includes(perm)) twin.folded = true;
    else out.set(`${key}:${perm}`, { principal: key, perms: [perm], paths: n, folded: false });
  }
  return [...out.values()];
}

function renderProblems(plan: Plan, s: Style): string[] {
  const out: string[] = [];
  const skips = new Map<string, number>();
  for (const k of plan.skipped) skips.set(k.reason, (skips.get(k.reason) ?? 0) + 1);
  if (skips.size > 0) {
    out.push(s.yellow(`Skipped: ${[...skips].map(([r, n]) => `${num(n)} ${r}`).join(", ")}`));
    for (const k of plan.skipped.slice(0, 20))
      out.push(s.dim(`  ${k.reason}: ${k.path}${k.detail ? ` (${k.detail})` : ""}`));
    if (plan.skipped.length > 20) out.push(s.dim(`  … ${num(plan.skipped.length - 20)} more (see --json)`));
  }
  if (plan.summary.excluded > 0) {
    out.push(
      s.dim(
        `Excluded: ${plural(plan.summary.excluded, "directory", "directories")} ([target] exclude), not walked`,
      ),
    );
    for (const p of plan.excluded.slice(0, 5)) out.push(s.dim(`  ${p}`));
  }
  for (const p of plan.problems.slice(0, 50)) {
    out.push(
      s.yellow(
        `${p.path ? `${p.path}: ` : ""}${p.code} ${p.message}${p.principals ? ` [${p.principals.join(", ")}]` : ""}`,
      ),
    );
  }
  if (plan.problems.length > 50)
    out.push(s.dim(`… ${num(plan.problems.length - 50)} more problems (see --json)`));
  for (const w of plan.warnings.slice(0, 20))
    out.push(
      s.yellow(
        `warning: ${w.path ? `${w.path}: ` : ""}${w.code} ${w.message} [${(w.principals ?? []).join(", ")}]`,
      ),
    );
  if (plan.summary.warnings > 20)
    out.push(s.dim(`… ${num(plan.summary.warnings - 20)} more warnings (see --json)`));
  return out;
}

/** Warnings, then grants that produce no ACL by design. */
export function renderDesiredNotes(desired: DesiredState, s: Style): string {
  const out = desiredNotices(desired).warnings.map((d) => s.yellow(`warning: ${formatDiagnostic(d)}`));
  return (out.length ? `${out.join("\n")}\n` : "") + renderGrantNotes(desired, s);
}

/** Grants that produce no ACL by design, each at its source with its role (the first 20; --json has all). */
export function renderGrantNotes(desired: DesiredState, s: Style): string {
  const { notes } = desiredNotices(desired);
  const out = notes.slice(0, 20).map((d) => s.dim(formatDiagnostic(d)));
  if (notes.length > 20)
    out.push(s.dim(`… ${num(notes.length - 20)} more grants that produce no ACL (see --json)`));
  return out.length ? `${out.join("\n")}\n` : "";
}

export function renderDiagnostics(errors: Diagnostic[], warnings: Diagnostic[], s: Style): string {
  const out = [
    ...errors.map((d) => s.red(`${formatDiagnostic(d)}`)),
    ...warnings.map((d) => s.yellow(`warning: ${formatDiagnostic(d)}`)),
  ];
  return out.length ? `${out.join("\n")}\n` : "";
}

export function renderExplain(
  x: Explanation,
  type: "dir" | "file" | undefined,
  s: Style,
  acl?: readonly string[],
): string {
  const out = [s.bold(x.path)];
  if (!x.managed) {
    out.push(`  not managed: ${x.reason}`);
    return `${out.join("\n")}\n`;
  }
  const ctx = x.context!;
  out.push(`  object: ${ctx.objects.join(", ")}${type ? ` (${type === "dir" ? "directory" : "file"})` : ""}`);
  for (const l of ctx.locations)
    out.push(s.dim(`    ${l.kind} location of ${l.object}: ${l.uri} (${l.source})`));
  if (x.entries.length === 0) out.push("  desired entries: none (no grant reaches this object)");
  else out.push("  desired entries:");
  for (const e of x.entries) {
    const shown =
      type === "file"
        ? e.file
        : type === "dir"
          ? e.dir
          : [e.dir && `dirs: ${e.dir}`, e.file && `files: ${e.file}`].filter(Boolean).join("; ");
    out.push(`    ${s.green(shown ?? "(no file access)")}`);
    for (const g of e.grants) {
      const via = g.viaGroup ? ` (via [users] group ${g.viaGroup})` : "";
      out.push(
        `      role ${g.role} → ${g.principal}${via} (${g.via}): ${g.privilege} [${g.through}] ${s.dim(g.source)}`,
      );
    }
  }
  if (acl) out.push(`  ACL on the path now:`, ...acl.map((e) => `    ${e}`));
  if (x.inert.length > 0) out.push("  grants that produce no ACL here:");
  for (const i of x.inert)
    out.push(s.dim(`    role ${i.role} → ${i.principal}: ${i.privilege} (${i.source}): ${i.reason}`));
  return `${out.join("\n")}\n`;
}

export function renderUndo(r: UndoResult, s: Style): string {
  const out = r.outcomes
    .filter((o) => o.result !== "restored" && o.result !== "already")
    .map((o) => s.yellow(`${o.path}: ${o.result}${o.message ? `: ${o.message}` : ""}`));
  if (r.dryRun)
    for (const o of r.outcomes.filter((o) => o.result === "restored")) out.push(`${s.yellow("~")} ${o.path}`);
  out.push(
    s.bold(
      r.dryRun
        ? `Undo of ${r.of} would restore ${plural(r.restored, "path")}; ${num(r.conflicts)} changed since (would be left alone).`
        : `Undo of ${r.of}: ${plural(r.restored, "path")} restored, ${num(r.conflicts)} changed since (left alone), ${num(r.failed)} failed.`,
    ),
  );
  if (r.restored > 0 && !r.dryRun) out.push(`Run id: ${r.run}`);
  return `${out.join("\n")}\n`;
}

export function renderRuns(runs: RunInfo[], s: Style): string {
  if (runs.length === 0) return "No runs have changed anything yet.\n";
  const paint = { complete: s.green, failed: s.red, interrupted: s.yellow };
  return `${runs
    .map((r) => {
      const counts =
        r.entriesAdded === undefined
          ? ""
          : `  +${num(r.entriesAdded)} -${num(r.entriesRemoved ?? 0)} ~${num(r.entriesChanged ?? 0)}`;
      return [
        r.run,
        r.kind.padEnd(5),
        paint[r.status](r.status.padEnd(11)),
        (r.trigger ?? "cli").padEnd(8),
        `${plural(r.changes, "path")}${r.failed > 0 ? ` (${num(r.failed)} failed)` : ""}${counts}${r.of ? `  (undo of ${r.of})` : ""}`,
      ].join("  ");
    })
    .join("\n")}\n`;
}
