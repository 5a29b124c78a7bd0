// The managed state as rows: the gs_state head (target, pending runs), one gs_location row per
// location and one gs_traverse row per directory carrying our traverse entries. MySQL cannot key a
// TEXT path of any length, so there each path is keyed by its hash.

import { createHash } from "node:crypto";
import { emptyState, type ManagedState } from "../model.ts";
import { json } from "./rows.ts";
import { insertRows, type SqlConn } from "./sql.ts";

export async function readManaged(conn: SqlConn, target: string): Promise<ManagedState> {
  const [head] = await conn.query("SELECT target, pending FROM gs_state WHERE id = 1");
  if (!head || head.target !== target) return emptyState(target);
  const state: ManagedState = emptyState(target);
  for (const r of await conn.query("SELECT path, objects, dir, file FROM gs_location")) {
    state.locations[r.path!] = {
      objects: json(r.objects, conn.where),
      dir: json(r.dir, conn.where),
      file: json(r.file, conn.where),
    };
  }
  const traverse = await conn.query("SELECT path, entries FROM gs_traverse");
  if (traverse.length > 0)
    state.traverse = Object.fromEntries(traverse.map((r) => [r.path!, json(r.entries, conn.where)]));
  if (head.pending) state.pending = { runs: json(head.pending, conn.where) };
  return state;
}

/** Replaces the managed state; the caller runs it in one fenced transaction. */
export async function writeManaged(conn: SqlConn, state: ManagedState, epoch: number): Promise<void> {
  await conn.run("DELETE FROM gs_state");
  await conn.run("DELETE FROM gs_location");
  await conn.run("DELETE FROM gs_traverse");
  await conn.run("INSERT INTO gs_state (id, target, pending, epoch) VALUES (1, ?, ?, ?)", [
    state.target,
    state.pending ? JSON.stringify(state.pending.runs) : null,
    epoch,
  ]);
  const mysql = conn.dialect === "mysql";
  const keyed = (path: string, ...values: unknown[]) => [
    ...(mysql ? [createHash("sha256").update(path).digest("hex")] : []),
    path,
    ...values,
  ];
  const key = mysql ? "path_hash, " : "";
  await insertRows(
    conn,
    `gs_location (${key}path, objects, dir, file)`,
    Object.entries(state.locations).map(([path, l]) =>
      keyed(path, JSON.stringify(l.objects), JSON.stringify(l.dir), JSON.stringify(l.file)),
    ),
  );
  await insertRows(
    conn,
    `gs_traverse (${key}path, entries)`,
    Object.entries(state.traverse ?? {}).map(([path, keys]) => keyed(path, JSON.stringify(keys))),
  );
}
