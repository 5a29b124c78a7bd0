// The pino logger every long-running part shares: JSON lines on stdout (journald-friendly) with
// ISO-8601 times, pretty on a TTY or by [log] format, and secrets (passwords, tokens,
// credentials inside URLs) never written.

import pino, { type Logger } from "pino";
import type { Config } from "./config/types.ts";
import { scrubFields } from "./secrets.ts";

export type { Logger } from "pino";

export interface LoggerOptions {
  level: Config["log"]["level"];
  /** auto: pretty on a TTY, JSON lines otherwise. */
  format?: Config["log"]["format"];
  /** Where JSON lines go; stdout unless a test captures them. */
  destination?: pino.DestinationStream;
}

export function createLogger(opts: LoggerOptions): Logger {
  const options: pino.LoggerOptions = {
    level: opts.level,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    // A copy: the standard serializer's result has its own prototype, which scrubFields leaves alone.
    serializers: { err: (e: Error) => scrubFields({ ...pino.stdSerializers.err(e) }) },
    hooks: {
      // Messages and merged objects may carry a URL copied from a config or an error message, or a
      // field with a secret name (a password, a token); secrets.ts decides which.
      logMethod(args, method) {
        method.apply(this, args.map((a) => scrubFields(a)) as Parameters<typeof method>);
      },
    },
  };
  if (opts.destination) return pino(options, opts.destination);
  const format = opts.format ?? "auto";
  if (format === "pretty" || (format === "auto" && process.stdout.isTTY)) {
    return pino({ ...options, transport: { target: "pino-pretty", options: { destination: 1 } } });
  }
  return pino(options, pino.destination({ dest: 1, sync: true }));
}
