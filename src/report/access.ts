// "Can U read this, and through what?": the enforcer's verdict beside what the grants say, with
// the grants behind the deciding entry when grantsync put it there. Pure, and its text rendering.

import type { AccessSubject, AccessVerdict, Decision } from "../acl/access.ts";
import { type AclEntry, R, W } from "../acl/entry.ts";
import { explainPath, type GrantExplanation } from "../compile/explain.ts";
import type { DesiredState } from "../compile/model.ts";
import { deepestAtOrAbove } from "../paths.ts";
import type { Style } from "./style.ts";

export interface AccessReport {
  path: string;
  type: "dir" | "file";
  user: string | null;
  groups: string[];
  superuser: boolean;
  read: boolean;
  write: boolean;
  execute: boolean;
  traverse: boolean;
  blockedAt?: string;
  /** What the grants give this subject here; null where no database or table location reaches. */
  expected: { read: boolean; write: boolean } | null;
  matches: boolean;
  decidedBy: Decision;
  /** The grants that produce the deciding entries, when they are ours. */
  grants: GrantExplanation[];
}

/** Principal key of an entry as printed by formatEntry (`group:eng:r-x` → `group:eng`); "" for base entries. */
function principalOf(text: string): string {
  const [type, name] = text.split(":");
  return name ? `${type}:${name}` : "";
}

/**
 * What the desired entries give the subject, ranked as the enforcer ranks them: a named user
 * entry alone (a denied user keeps one), else the union of the entries for its groups.
 */
function grantsFor(subject: AccessSubject, entries: readonly AclEntry[]): number {
  const named = entries.filter((e) => e.scope === "access" && e.name !== "");
  const own = named.find((e) => e.type === "user" && e.name === subject.user);
  if (own) return own.perm;
  const groups = new Set(subject.groups);
  return named.filter((e) => e.type === "group" && groups.has(e.name)).reduce((p, e) => p | e.perm, 0);
}

export function accessReport(input: {
  path: string;
  type: "dir" | "file";
  subject: AccessSubject;
  verdict: AccessVerdict;
  desired: DesiredState;
  roots: readonly string[];
}): AccessReport {
  const { path, type, subject, verdict, desired, roots } = input;
  const x = explainPath(desired, roots, path);
  const ctx = x.managed ? deepestAtOrAbove(path, (p) => desired.contexts.get(p)) : undefined;
  const perm = ctx ? grantsFor(subject, type === "dir" ? ctx.dir : ctx.file) : 0;
  const expected = ctx ? { read: (perm & R) !== 0, write: (perm & W) !== 0 } : null;
  const ours = new Set(verdict.decidedBy.entries.map(principalOf).filter((p) => p !== ""));
  const explained = verdict.traverse ? x.entries : [];
  return {
    path,
    type,
    user: subject.user ?? null,
    groups: [...subject.groups],
    superuser: subject.superuser,
    read: verdict.read,
    write: verdict.write,
    execute: verdict.execute,
    traverse: verdict.traverse,
    ...(verdict.blockedAt ? { blockedAt: verdict.blockedAt } : {}),
    expected,
    matches: expected === null || (expected.read === verdict.read && expected.write === verdict.write),
    decidedBy: verdict.decidedBy,
    grants: explained.filter((e) => ours.has(e.principal)).flatMap((e) => e.grants),
  };
}

const CLASS_TEXT: Record<Decision["class"], string> = {
  superuser: "superuser",
  owner: "the owner entry",
  "named-user": "a named user entry",
  group: "the group class",
  other: "the other entry",
};

export function renderAccess(r: AccessReport, s: Style): string {
  const yes = (b: boolean) => (b ? s.green("yes") : s.red("no"));
  const who = r.user === null ? `members of ${r.groups.join(", ")}` : `user ${r.user}`;
  const out = [s.bold(`${r.path} (${r.type === "dir" ? "directory" : "file"}) for ${who}`)];
  if (r.user !== null)
    out.push(s.dim(`  groups: ${r.groups.join(", ") || "(none)"}${r.superuser ? "; superuser" : ""}`));
  const exp = (b: boolean | undefined) => (b === undefined ? "" : s.dim(`   grants say ${b ? "yes" : "no"}`));
  out.push(`  read     ${yes(r.read)}${exp(r.expected?.read)}`);
  out.push(`  write    ${yes(r.write)}${exp(r.expected?.write)}`);
  out.push(`  execute  ${yes(r.execute)}`);
  out.push(`  traverse ${yes(r.traverse)}${r.blockedAt ? ` (stopped at ${r.blockedAt})` : ""}`);
  const d = r.decidedBy;
  out.push(
    `  decided by ${CLASS_TEXT[d.class]} on ${d.path}${d.entries.length ? `: ${d.entries.join(", ")}` : ""}`,
  );
  for (const g of r.grants) {
    out.push(`    role ${g.role} → ${g.principal}: ${g.privilege} [${g.through}] ${s.dim(g.source)}`);
  }
  if (r.expected === null)
    out.push(s.dim("  no database or table location reaches this path: nothing to compare"));
  else out.push(r.matches ? s.green("  matches the grants") : s.yellow("  differs from the grants"));
  return `${out.join("\n")}\n`;
}
