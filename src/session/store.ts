// Opens the state a config names: a database when `[state] url` is set, else the local directory.
// The database store loads only when configured, so a command on a state directory never loads
// the PostgreSQL and MySQL drivers.

import type { Config } from "../config/types.ts";
import { DirStateStore } from "../reconcile/dir-store.ts";
import type { StateStore } from "../state/store.ts";

export async function openStateStore(config: Config): Promise<StateStore> {
  if (config.state.db) {
    const { DbStateStore } = await import("../state/db/store.ts");
    return DbStateStore.open(config.state.db, { checkIntervalMs: config.daemon.haCheckIntervalMs });
  }
  return new DirStateStore(config.state.dir);
}
