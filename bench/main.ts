// `npm run bench [-- --quick | --large] [--reps N]`: the comparisons of issues 7 and 17 side by side
// with the reference tools, printed as a table and saved to bench/results/latest.json. Never asserts a time.

import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { applyFloor, applyNodeFloor } from "./floor.ts";
import { incremental } from "./incremental.ts";
import { describeMachine } from "./machine.ts";
import { CLI, REPO } from "./measure.ts";
import { applyNewGroup, noopCheck, noopMemory, type PosixTree, setupPosixTree } from "./posix.ts";
import type { BenchRow, SkippedSection } from "./result.ts";
import { oneTablePolicy, type Shape } from "./warehouse.ts";
import { type HdfsTree, noopReconcile, setupHdfsTree, webhdfsAvailable, wrkMissing } from "./webhdfs.ts";

const { values: args } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    large: { type: "boolean", default: false },
    reps: { type: "string" },
    only: { type: "string", multiple: true },
  },
});

const quick = args.quick!;
const size = quick ? "quick" : "full";
const reps = args.reps ? Number(args.reps) : quick ? 3 : 5;
const SHAPES: Record<string, Shape> = {
  posix: quick
    ? { databases: 5, tablesPerDb: 10, filesPerTable: 100 }
    : { databases: 10, tablesPerDb: 100, filesPerTable: 100 },
  large: { databases: 10, tablesPerDb: 1000, filesPerTable: 100 },
  // 1,000 tables either way: the catalog size is the point of the incremental case.
  incremental: { databases: 10, tablesPerDb: 100, filesPerTable: quick ? 2 : 10 },
  // Partitioned tables: leaf directories, as in real warehouses.
  hdfs: quick
    ? { databases: 2, tablesPerDb: 10, filesPerTable: 20, leaf: "dir" }
    : { databases: 10, tablesPerDb: 100, filesPerTable: 20, leaf: "dir" },
};

// The same warning (e.g. MaxListenersExceeded from a client under load) once, not once per object.
const warned = new Set<string>();
process.removeAllListeners("warning");
process.on("warning", (w) => {
  if (warned.has(w.name + w.message)) return;
  warned.add(w.name + w.message);
  process.stderr.write(`warning (shown once): ${w.name}: ${w.message}\n`);
});

const rows: BenchRow[] = [];
const skipped: SkippedSection[] = [];
const log = (s: string) => process.stderr.write(`${s}\n`);
const wanted = (name: string) => !args.only || args.only.includes(name);

async function section(name: string, body: () => Promise<void> | void): Promise<void> {
  if (!wanted(name)) return;
  log(`[${name}]`);
  const t0 = Date.now();
  try {
    await body();
  } catch (err) {
    skipped.push({ name, reason: `failed: ${err instanceof Error ? err.message : String(err)}` });
    process.exitCode = 1;
  }
  log(`  (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
}

function describeShape(s: Shape): string {
  const files = s.databases * s.tablesPerDb * s.filesPerTable;
  return `${files.toLocaleString("en")} files in ${(s.databases * s.tablesPerDb).toLocaleString("en")} dirs`;
}

if (!existsSync(CLI)) {
  log(`${CLI} is missing: run \`npm run build\` first (npm run bench does)`);
  process.exit(1);
}

await section("posix", () => {
  const shape = SHAPES.posix!;
  let t: PosixTree | undefined;
  try {
    t = setupPosixTree(shape, log);
    rows.push(noopCheck(t, reps, `, ${describeShape(shape)}`));
    rows.push(applyNewGroup(t, reps));
    const floor = applyFloor(t, reps);
    if ("reason" in floor) skipped.push({ name: "apply floor", reason: `skipped: ${floor.reason}` });
    else rows.push(floor);
    rows.push(applyNodeFloor(t, reps));
    // A quick run has no 1M-file tree: its memory row is the small tree's.
    if (quick) rows.push(noopMemory(t, 3, describeShape(shape)));
  } finally {
    t?.w.cleanup();
  }
});

if (!quick) {
  await section("large", () => {
    const shape = SHAPES.large!;
    let t: PosixTree | undefined;
    try {
      t = setupPosixTree(shape, log);
      rows.push(noopMemory(t, 1, describeShape(shape)));
      if (args.large) rows.push(noopCheck(t, 3, `, ${describeShape(shape)}`));
    } finally {
      t?.w.cleanup();
    }
  });
}

await section("webhdfs", async () => {
  const missing = webhdfsAvailable() ?? wrkMissing();
  if (missing) {
    skipped.push({ name: "webhdfs", reason: `skipped: ${missing}` });
    return;
  }
  let t: HdfsTree | undefined;
  try {
    t = await setupHdfsTree(SHAPES.hdfs!, log);
    rows.push(...(await noopReconcile(t, reps)));
  } finally {
    await t?.emu.close();
    t?.w.cleanup();
  }
});

await section("incremental", async () => {
  const shape = SHAPES.incremental!;
  const [db, table] = [5, 50];
  const label = `(1,000 tables, one grant changed)`;
  let t: PosixTree | undefined;
  try {
    t = setupPosixTree(shape, log);
    rows.push(
      ...(await incremental(
        {
          label: `POSIX ${label}`,
          base: t.base,
          changed: t.w.config("one-table", oneTablePolicy(shape, db, table)),
          table: t.w.tablePath(db, table),
          tablePaths: 1 + shape.filesPerTable,
        },
        quick ? 2 : 3,
      )),
    );
  } finally {
    t?.w.cleanup();
  }
  if (webhdfsAvailable() !== undefined) return;
  let h: HdfsTree | undefined;
  try {
    h = await setupHdfsTree(shape, log);
    const emu = h.emu;
    rows.push(
      ...(await incremental(
        {
          label: `WebHDFS ${label}`,
          base: h.base,
          changed: h.w.config("one-table", oneTablePolicy(shape, db, table)),
          table: h.w.tablePath(db, table),
          tablePaths: 1 + shape.filesPerTable,
          requests: { reset: () => emu.request({ cmd: "reset" }), count: () => emu.requests() },
        },
        quick ? 2 : 3,
      )),
    );
  } finally {
    await h?.emu.close();
    h?.w.cleanup();
  }
});

const machine = describeMachine();
printTable(rows);
for (const s of skipped) log(`${s.name}: ${s.reason}`);
const resultsDir = join(REPO, "bench", "results");
mkdirSync(resultsDir, { recursive: true });
writeFileSync(
  join(resultsDir, "latest.json"),
  `${JSON.stringify({ date: new Date().toISOString(), size, large: args.large, reps, machine, rows, skipped }, null, 2)}\n`,
);
log(
  `machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Linux ${machine.kernel}, ` +
    `${machine.tmpdir} on ${machine.tmpdirFilesystem}, Node ${machine.node}`,
);
log(`saved bench/results/latest.json`);

function printTable(rs: readonly BenchRow[]): void {
  const fmt = (v: number | undefined, unit = "") => {
    if (v === undefined) return "—";
    const digits = Math.abs(v) >= 100 ? 0 : Math.abs(v) >= 10 ? 1 : 2;
    return `${v.toFixed(digits)}${unit ? ` ${unit}` : ""}`;
  };
  const table = [
    ["benchmark", "grantsync", "reference", "ratio", "goal", "met"],
    ...rs.map((r) => [
      r.name,
      fmt(r.grantsync, r.unit),
      r.reference === undefined ? "—" : `${fmt(r.reference, r.unit)} (${r.referenceName})`,
      fmt(r.ratio),
      r.goal,
      r.met === undefined ? "—" : r.met ? "yes" : "NO",
    ]),
  ];
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  for (const [i, row] of table.entries()) {
    process.stdout.write(
      `${row
        .map((c, j) => c.padEnd(widths[j]!))
        .join("  ")
        .trimEnd()}\n`,
    );
    if (i === 0) process.stdout.write(`${widths.map((w) => "-".repeat(w)).join("  ")}\n`);
  }
}
