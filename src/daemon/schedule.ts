// The periodic full reconcile on `[daemon] schedule` (node-cron), with node-cron's own warnings
// (missed or overlapping ticks) routed to our logger instead of coloured lines on stderr.

import cron, { type Logger as CronLogger, type ScheduledTask } from "node-cron";
import type { Logger } from "../log.ts";

export interface Schedule {
  readonly expression: string;
  readonly timezone: string | undefined;
  stop(): Promise<void>;
}

export function startSchedule(
  expression: string,
  timezone: string | undefined,
  tick: () => void,
  log: Logger,
): Schedule {
  const logger = cronLogger(log);
  cron.setLogger(logger);
  const task: ScheduledTask = cron.schedule(expression, tick, {
    name: "grantsync-reconcile",
    logger,
    ...(timezone ? { timezone } : {}),
  });
  return {
    expression,
    timezone,
    async stop() {
      await task.destroy();
    },
  };
}

function cronLogger(log: Logger): CronLogger {
  const child = log.child({ component: "cron" });
  return {
    info: (m) => child.info(m),
    warn: (m) => child.warn(m),
    error: (m, err) => child.error({ err: err ?? m }, typeof m === "string" ? m : m.message),
    debug: (m, err) => child.debug({ err }, typeof m === "string" ? m : m.message),
  };
}
