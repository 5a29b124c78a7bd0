// Opens the state a config names: a database when `[state] url` is set, else the local directory.

import type { Config } from "../config/types.ts";
import { DbStateStore } from "../state/db/store.ts";
import type { StateStore } from "../state/store.ts";
import { DirStateStore } from "./dir-store.ts";

export async function openStateStore(config: Config): Promise<StateStore> {
  if (config.state.db) {
    return DbStateStore.open(config.state.db, { checkIntervalMs: config.daemon.haCheckIntervalMs });
  }
  return new DirStateStore(config.state.dir);
}
