// `grantsync daemon`: registered here; the service itself lives in src/daemon/.

import type { Command } from "commander";
import { GsError } from "../errors.ts";

export function registerDaemon(program: Command): void {
  program
    .command("daemon")
    .description("run as a service: reconcile on a schedule and when a watched source changes")
    .option("-c, --config <file>", "grantsync config file")
    .action(() => {
      throw new GsError("GS_USAGE", "the daemon is not built yet");
    });
}
