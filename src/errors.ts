// The error every part throws: a stable code from the one catalog (error-codes.ts), where the bad
// input is, and the hint that says what to do. Nothing throws strings.

import { ERROR_CODES, type ErrorCode } from "./error-codes.ts";
import { scrubText } from "./secrets.ts";

export {
  ERROR_CODES,
  type ErrorCode,
  type FileProblemCode,
  severityOf,
  type TargetFamily,
  targetFamily,
} from "./error-codes.ts";

export interface ErrorDetails {
  /** Where the bad input is: `file:line`, a path, a URL without credentials, a principal. */
  location?: string;
  /** The offending input itself (never a secret). */
  input?: unknown;
  /** Overrides the catalog hint when the caller knows better. */
  hint?: string;
  cause?: unknown;
}

export class GsError extends Error {
  readonly code: ErrorCode;
  readonly location?: string;
  readonly input?: unknown;
  readonly hint: string;

  constructor(code: ErrorCode, message: string, details: ErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = "GsError";
    this.code = code;
    this.location = details.location;
    this.input = details.input;
    this.hint = details.hint ?? ERROR_CODES[code].hint;
  }

  /** `LOCATION: CODE message`, the form every error takes on a terminal, secrets scrubbed. */
  format(): string {
    const where = this.location ? `${this.location}: ` : "";
    return scrubText(`${where}${this.code} ${this.message}`);
  }

  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      message: scrubText(this.message),
      ...(this.location ? { location: this.location } : {}),
      ...(this.input === undefined ? {} : { input: this.input }),
      hint: this.hint,
    };
  }
}

export function isGsError(err: unknown, code?: ErrorCode): err is GsError {
  return err instanceof GsError && (code === undefined || err.code === code);
}

/** Wraps anything thrown into a GsError, keeping GsErrors as they are. */
export function toGsError(
  err: unknown,
  code: ErrorCode = "GS_INTERNAL",
  details: ErrorDetails = {},
): GsError {
  if (err instanceof GsError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new GsError(code, message, { ...details, cause: err });
}

/** A problem found in an input file; many are collected before anything is refused. */
export interface Diagnostic {
  severity: "error" | "warning";
  code: ErrorCode;
  message: string;
  file?: string;
  line?: number;
}

/** A diagnostic that stops the command, thrown at its FILE:LINE. */
export function diagnosticError(d: Diagnostic): GsError {
  const location = d.file === undefined ? undefined : d.line === undefined ? d.file : `${d.file}:${d.line}`;
  return new GsError(d.code, d.message, location === undefined ? {} : { location });
}

export function formatDiagnostic(d: Diagnostic): string {
  return scrubText(`${diagnosticWhere(d)}${d.code} ${d.message}`);
}

/** `FILE:LINE: ` or `FILE: ` or "". */
export function diagnosticWhere(d: Diagnostic): string {
  return d.file ? `${d.file}${d.line ? `:${d.line}` : ""}: ` : "";
}
