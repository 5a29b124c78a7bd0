// Directories above a root are never written: which grantees their mode bits stop before they reach
// their locations. Plan and apply warn with these; validate and explain report them too.

import type { DesiredState } from "../compile/model.ts";
import { findRoot } from "../paths.ts";
import type { Target } from "../targets/target.ts";
import type { PathProblem } from "./plan.ts";

/** One GS_TRAVERSE_ABOVE_ROOT warning per directory above a root that stops some grantee (mode bits only). */
export async function aboveRootProblems(
  target: Pick<Target, "statAbove">,
  desired: DesiredState,
  roots: readonly string[],
  skipPrincipals: ReadonlySet<string>,
): Promise<PathProblem[]> {
  const out: PathProblem[] = [];
  if (!desired.traverse || !target.statAbove) return out;
  for (const root of roots) {
    const grantees = granteesUnder(desired, root, roots, skipPrincipals);
    if (grantees.size === 0) continue;
    for (let dir = parentDir(root); dir !== undefined; dir = parentDir(dir)) {
      const st = await target.statAbove(dir);
      if (!st || (st.mode & 0o001) !== 0) continue;
      const passes = (p: { type: string; name: string }) =>
        (p.type === "user" && p.name === st.owner && (st.mode & 0o100) !== 0) ||
        (p.type === "group" && p.name === st.group && (st.mode & 0o010) !== 0);
      const blocked = [...grantees].filter(([, p]) => !passes(p)).map(([k]) => k);
      if (blocked.length === 0) continue;
      out.push({
        path: dir,
        code: "GS_TRAVERSE_ABOVE_ROOT",
        message: `this directory above the root ${root} has no x for these grantees, so they cannot reach their locations; grantsync never writes above a root (chmod o+x, or an entry of your own)`,
        principals: blocked.sort(),
      });
    }
  }
  return out;
}

/** `type:name` → principal of every entry granting something in a location under `root`. */
function granteesUnder(
  desired: DesiredState,
  root: string,
  roots: readonly string[],
  skip: ReadonlySet<string>,
): Map<string, { type: string; name: string }> {
  const grantees = new Map<string, { type: string; name: string }>();
  for (const ctx of desired.contexts.values()) {
    if (findRoot(ctx.path, roots) !== root) continue;
    for (const e of ctx.dir.concat(ctx.file)) {
      const key = `${e.type}:${e.name}`;
      if (e.perm !== 0 && !skip.has(key)) grantees.set(key, e);
    }
  }
  return grantees;
}

function parentDir(path: string): string | undefined {
  if (path === "/") return undefined;
  const slash = path.lastIndexOf("/");
  return slash <= 0 ? "/" : path.slice(0, slash);
}
