// Incremental reconcile: a 1,000-table catalog where one table gains a grant. A scoped apply (the
// changed table's location) against a full reconcile: paths visited, writes, requests, wall time.

import { openSession } from "../src/cli/common.ts";
import { applyChanges } from "../src/reconcile/run.ts";
import type { Target, TargetNode } from "../src/targets/target.ts";
import { median } from "./measure.ts";
import type { BenchRow } from "./result.ts";

export interface Counters {
  visited: number;
  writes: number;
}

/** Delegates to `target`, counting the nodes its walks visit and the writes made through them. */
export function countingTarget(target: Target, c: Counters): Target {
  const wrap = (n: TargetNode): TargetNode => ({
    path: n.path,
    type: n.type,
    get acl() {
      return n.acl;
    },
    write(next) {
      c.writes++;
      return n.write(next);
    },
  });
  return {
    kind: target.kind,
    fileExecuteDefault: target.fileExecuteDefault,
    ...(target.maxEntries !== undefined ? { maxEntries: target.maxEntries } : {}),
    walk: (root, o) =>
      target.walk(root, {
        ...o,
        visit: (n) => {
          c.visited++;
          return o.visit(wrap(n));
        },
        ...(o.descend ? { descend: (n: TargetNode) => o.descend!(wrap(n)) } : {}),
      }),
    node: (p) => target.node(p),
    unknownPrincipals: (p) => target.unknownPrincipals(p),
    close: () => target.close(),
  };
}

export interface IncrementalSetup {
  label: string;
  /** Config granting the base policy, and the same plus one table-level grant. */
  base: string;
  changed: string;
  /** Location of the table whose grant changed. */
  table: string;
  /** Paths at and under that table. */
  tablePaths: number;
  requests?: { reset(): Promise<void>; count(): Promise<number> };
}

interface Sample extends Counters {
  ms: number;
  requests: number;
}

async function run(config: string, scope: ReadonlySet<string> | undefined, s: IncrementalSetup) {
  const { session } = await openSession(config, { json: true });
  const c: Counters = { visited: 0, writes: 0 };
  session.target = countingTarget(session.target, c);
  await s.requests?.reset();
  const t0 = process.hrtime.bigint();
  const result = await applyChanges(session, scope ? { scope } : {});
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  await session.target.close();
  if (result.failed > 0) throw new Error(`incremental: ${result.failed} writes failed`);
  return { ...c, ms, requests: (await s.requests?.count()) ?? 0 };
}

export async function incremental(s: IncrementalSetup, reps: number): Promise<BenchRow[]> {
  const scope = new Set([s.table]);
  const samples = { scoped: [] as Sample[], full: [] as Sample[] };
  // The reset takes the grant away again, scoped (its own requests are not counted).
  const reset = () => run(s.base, scope, { ...s, requests: undefined });
  // Interleaved: scoped, full, scoped, full…, each from the same (reset) state.
  for (let i = 0; i < reps; i++) {
    for (const side of ["scoped", "full"] as const) {
      await reset();
      samples[side].push(await run(s.changed, side === "scoped" ? scope : undefined, s));
    }
  }
  await reset();
  const row = (what: keyof Sample, unit: string, goal: string, met: boolean | undefined): BenchRow => {
    const g = samples.scoped.map((x) => x[what]);
    const r = samples.full.map((x) => x[what]);
    return {
      name: `Incremental ${s.label}: ${what}`,
      unit,
      grantsync: median(g),
      reference: median(r),
      referenceName: "full reconcile",
      ratio: median(g) / median(r),
      goal,
      met,
      samples: { grantsync: g, reference: r },
    };
  };
  const writesSame = samples.scoped.every((x, i) => x.writes === samples.full[i]!.writes);
  const rows = [
    row(
      "visited",
      "paths",
      `scoped = ${s.tablePaths} (the table)`,
      samples.scoped.every((x) => x.visited === s.tablePaths),
    ),
    row("writes", "writes", "scoped = full", writesSame),
  ];
  if (s.requests) rows.push(row("requests", "requests", "—", undefined));
  rows.push(row("ms", "ms", "—", undefined));
  return rows;
}
