// Settings a running daemon cannot take over from a reloaded config: where its state lives and
// whether it elects a leader are fixed when it starts.

import { isDeepStrictEqual } from "node:util";
import type { Config } from "../config/types.ts";
import { GsError } from "../errors.ts";

export function checkRestartOnly(next: Config, current: Config): void {
  if (isDeepStrictEqual(next.state, current.state) && next.daemon.ha === current.daemon.ha) return;
  throw new GsError(
    "GS_CONFIG_INVALID",
    "[state] and [daemon] ha cannot change while the daemon runs; restart it",
    {
      location: next.file,
    },
  );
}
