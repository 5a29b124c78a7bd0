// `grantsync daemon`: starts the service, which lives in src/daemon/.
// `--once` runs one full reconcile under the daemon's lock and logging, then exits.

import { runDaemon } from "../daemon/service.ts";
import { createLogger } from "../log.ts";
import { CliExit, markDaemonStopped } from "./exit.ts";
import { loadCliConfig } from "./load-config.ts";

interface DaemonOptions {
  config?: string;
  once?: boolean;
}

export async function daemon(opts: DaemonOptions): Promise<void> {
  const config = await loadCliConfig(opts.config);
  const log = createLogger({ level: config.log.level, format: config.log.format });
  try {
    const code = await runDaemon({ config, log, once: opts.once ?? false });
    if (code !== 0) throw new CliExit(code);
  } finally {
    markDaemonStopped();
  }
}
