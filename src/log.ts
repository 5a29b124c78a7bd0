// The pino logger every long-running part shares: JSON lines on stdout (journald-friendly) with
// ISO-8601 times, pretty on a TTY or by [log] format, and secrets (passwords, tokens,
// credentials inside URLs) never written.

import pino, { type Logger } from "pino";
import type { Config } from "./config/types.ts";
import { scrubText } from "./secrets.ts";

export type { Logger } from "pino";

export interface LoggerOptions {
  level: Config["log"]["level"];
  /** auto: pretty on a TTY, JSON lines otherwise. */
  format?: Config["log"]["format"];
  /** Where JSON lines go; stdout unless a test captures them. */
  destination?: pino.DestinationStream;
}

// Keys whose values are secrets wherever they appear (a config object, an error's input).
const SECRET_KEYS = ["password", "token", "delegation", "secret", "keytabPassword"];
const REDACT_PATHS = SECRET_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]);

export function createLogger(opts: LoggerOptions): Logger {
  const options: pino.LoggerOptions = {
    level: opts.level,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACT_PATHS, censor: "[redacted]" },
    // A copy: the standard serializer's result has its own prototype, which scrubValue leaves alone.
    serializers: { err: (e: Error) => scrubValue({ ...pino.stdSerializers.err(e) }) },
    hooks: {
      // Messages and merged objects may carry a URL copied from a config or an error message.
      logMethod(args, method) {
        method.apply(this, args.map(scrubValue) as Parameters<typeof method>);
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

function scrubValue(v: unknown, depth = 0): unknown {
  if (typeof v === "string") return scrubText(v);
  if (depth > 4 || v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) return v.map((x) => scrubValue(x, depth + 1));
  if (v instanceof Error || Object.getPrototypeOf(v) !== Object.prototype) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = scrubValue(x, depth + 1);
  return out;
}
