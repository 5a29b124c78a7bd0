// Generates a benchmark warehouse in a temp dir: DBS databases × TABLES tables × FILES files, plus the
// config + policy + locations trio that makes every table a managed location.

import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface Shape {
  databases: number;
  tablesPerDb: number;
  /** Children of each table: files, or (leaf = "dir", emulator trees only) empty partition directories. */
  filesPerTable: number;
  leaf?: "file" | "dir";
}

export interface BenchWarehouse {
  dir: string;
  root: string;
  shape: Shape;
  /** Paths under the root: databases + tables + files + the root itself. */
  paths: number;
  state: string;
  /** Writes config `name`.ini whose policy grants `policy`; returns the config path. */
  config(name: string, policy: string, extraConfig?: string): string;
  tablePath(db: number, table: number): string;
  databasePaths(): string[];
  cleanup(): void;
}

export function fileName(f: number): string {
  return `part-${f}.parquet`;
}

/** A Hive partition directory's name. */
export function partitionName(f: number): string {
  return `p=${f}`;
}

export const BASE_GROUP = "staff";
export const NEW_GROUP = "users";

/** Staff reads every database: every path carries group:staff (and default: on directories). */
export function basePolicy(shape: Shape): string {
  return policyText(shape, [BASE_GROUP]);
}

/** The base policy plus one more group reading every database: the "apply one new group" change. */
export function newGroupPolicy(shape: Shape): string {
  return policyText(shape, [BASE_GROUP, NEW_GROUP]);
}

/** The base policy plus one table-level grant: the "one grant changed" incremental case. */
export function oneTablePolicy(shape: Shape, db: number, table: number): string {
  return `${policyText(shape, [BASE_GROUP], `${NEW_GROUP} = one_table\n`)}one_table = server=server1->db=db${db}->table=t${table}->action=select\n`;
}

function policyText(shape: Shape, groups: string[], extraGroups = ""): string {
  const role = (g: string) => `${g}_reader`;
  const lines = ["[groups]", ...groups.map((g) => `${g} = ${role(g)}`), extraGroups.trimEnd(), "", "[roles]"];
  for (const g of groups) {
    const grants = [];
    for (let d = 0; d < shape.databases; d++) grants.push(`server=server1->db=db${d}->action=select`);
    lines.push(`${role(g)} = ${grants.join(", ")}`);
  }
  return `${lines.filter((l, i) => l !== "" || i > 0).join("\n")}\n`;
}

/** Where the tree lives: generated on disk here, or (webhdfs) built by the caller in an emulator. */
export type TreeTarget = { kind: "posix" } | { kind: "webhdfs"; namenode: string; root: string };

export function makeWarehouse(shape: Shape, target: TreeTarget = { kind: "posix" }): BenchWarehouse {
  const dir = mkdtempSync(join(tmpdir(), "gs-bench-"));
  const onDisk = target.kind === "posix";
  const root = onDisk ? join(dir, "warehouse") : target.root;
  const tablePath = (d: number, t: number) => join(root, `db${d}.db`, `t${t}`);
  const loc = ["[databases]"];
  for (let d = 0; d < shape.databases; d++) loc.push(`db${d} = ${join(root, `db${d}.db`)}`);
  loc.push("[tables]");
  for (let d = 0; d < shape.databases; d++) {
    for (let t = 0; t < shape.tablesPerDb; t++) {
      const p = tablePath(d, t);
      if (onDisk) {
        mkdirSync(p, { recursive: true });
        for (let f = 0; f < shape.filesPerTable; f++) closeSync(openSync(join(p, fileName(f)), "w", 0o644));
      }
      loc.push(`db${d}.t${t} = ${p}`);
    }
  }
  writeFileSync(join(dir, "locations.ini"), `${loc.join("\n")}\n`);
  const state = join(dir, "state");
  const tables = shape.databases * shape.tablesPerDb;
  const targetSection = onDisk
    ? `[target]\ntype = posix\nroots = ${root}`
    : `[target]\ntype = webhdfs\nroots = ${root}\n[webhdfs]\nnamenodes = ${target.namenode}\nuser = hdfs\nconnections = 64\nconcurrency = 64\nretries = 0`;
  return {
    dir,
    root,
    shape,
    paths: 1 + shape.databases + tables + tables * shape.filesPerTable,
    state,
    tablePath,
    config(name, policy, extraConfig = "") {
      writeFileSync(join(dir, `${name}.policy.ini`), policy);
      const file = join(dir, `${name}.ini`);
      writeFileSync(
        file,
        `[policy]
file = ${name}.policy.ini
server = server1
[catalog]
file = locations.ini
${targetSection}
[state]
dir = state
[safety]
max_removals_percent = 100
max_removals = 100000000
${extraConfig}`,
      );
      return file;
    },
    databasePaths: () => Array.from({ length: shape.databases }, (_, d) => join(root, `db${d}.db`)),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
