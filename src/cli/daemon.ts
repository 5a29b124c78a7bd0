// `grantsync daemon`: registered here; the service itself lives in src/daemon/.
// `--once` runs one full reconcile under the daemon's lock and logging, then exits.

import type { Command } from "commander";
import { CliExit } from "./common.ts";
import { CONFIG_HELP, loadCliConfig } from "./config-file.ts";

/**
 * Set once the daemon has stopped (drained, journaled, everything it owns closed): main then
 * exits at once, so a handle some library left open cannot keep a stopped service alive.
 */
export let daemonStopped = false;

interface DaemonOptions {
  config?: string;
  once?: boolean;
}

export function registerDaemon(program: Command): void {
  program
    .command("daemon")
    .description("run as a service: reconcile on a schedule and when a watched source changes")
    .option("-c, --config <file>", CONFIG_HELP)
    .option("--once", "one full reconcile, then exit (0 on success, 1 on error)")
    .action(async (opts: DaemonOptions) => {
      const config = await loadCliConfig(opts.config);
      // Loaded here, not at startup: the service's packages (pino, prom-client, chokidar, node-cron)
      // would otherwise slow every other command.
      const [{ runDaemon }, { createLogger }] = await Promise.all([
        import("../daemon/service.ts"),
        import("../log.ts"),
      ]);
      const log = createLogger({ level: config.log.level, format: config.log.format });
      try {
        const code = await runDaemon({ config, log, once: opts.once ?? false });
        if (code !== 0) throw new CliExit(code);
      } finally {
        daemonStopped = true;
      }
    });
}
