// The types a config key is declared with in schema.ts (text, integer, boolean, list, URL, …), each a
// function reading one value the `ini` package gave: its meaning, or FAILED with what is wrong.

/** A problem in one value; `path` is below the key (a list item's index), then below [section] key. */
export interface Issue {
  path: (string | number)[];
  message: string;
}

export const FAILED: unique symbol = Symbol("failed");
export type Failed = typeof FAILED;

/** Reads one value: what it means, or FAILED after adding what is wrong to `issues`. */
export type Parse<T> = (input: unknown, issues: Issue[]) => T | Failed;

/** What a section's keys read to. */
export type Parsed<S extends Record<string, Parse<unknown>>> = {
  [K in keyof S]: Exclude<ReturnType<S[K]>, Failed>;
};

export function failed(v: unknown): v is Failed {
  return v === FAILED;
}

/** The name a value's type goes by in messages (`received boolean`, `received NaN`). */
export function received(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number" && !Number.isFinite(v)) return String(v);
  return typeof v;
}

function problem(issues: Issue[], message: string): Failed {
  issues.push({ path: [], message });
  return FAILED;
}

function wrongType(issues: Issue[], expected: string, v: unknown): Failed {
  return problem(issues, `Invalid input: expected ${expected}, received ${received(v)}`);
}

/** Any string as written; `then` reads it further, calling `refuse` with what is wrong. */
export function string(): Parse<string>;
export function string<T>(then: (s: string, refuse: (message: string) => Failed) => T | Failed): Parse<T>;
export function string<T>(then?: (s: string, refuse: (message: string) => Failed) => T | Failed) {
  return (v: unknown, issues: Issue[]) => {
    if (typeof v !== "string") return wrongType(issues, "string", v);
    return then ? then(v, (m) => problem(issues, m)) : v;
  };
}

/** A string, trimmed, not empty; `check` says what else is wrong with it (both are reported). */
export function text(check?: (v: string) => string | undefined): Parse<string> {
  return (v, issues) => {
    if (typeof v !== "string") return wrongType(issues, "string", v);
    const s = v.trim();
    const before = issues.length;
    if (s === "") problem(issues, "Too small: expected string to have >=1 characters");
    const wrong = check?.(s);
    if (wrong !== undefined) problem(issues, wrong);
    return issues.length > before ? FAILED : s;
  };
}

function numeric(v: unknown, issues: Issue[]): number | Failed {
  const n = typeof v === "symbol" ? Number.NaN : Number(v);
  return Number.isFinite(n) ? n : wrongType(issues, "number", n);
}

/** A number from `min` to `max` (`true` reads as 1 and an empty value as 0, as JavaScript's Number does). */
export function number(min: number, max: number): Parse<number> {
  return (v, issues) => {
    const n = numeric(v, issues);
    if (failed(n)) return n;
    if (n < min) return problem(issues, `Too small: expected number to be >=${min}`);
    if (n > max) return problem(issues, `Too big: expected number to be <=${max}`);
    return n;
  };
}

/** A safe integer of at least `min`. */
export function int(min: number): Parse<number> {
  return (v, issues) => {
    const n = numeric(v, issues);
    if (failed(n)) return n;
    if (!Number.isInteger(n)) return wrongType(issues, "int", n);
    const before = issues.length;
    if (n > Number.MAX_SAFE_INTEGER)
      problem(issues, `Too big: expected int to be <=${Number.MAX_SAFE_INTEGER}`);
    if (n < Number.MIN_SAFE_INTEGER)
      problem(issues, `Too small: expected int to be >=${Number.MIN_SAFE_INTEGER}`);
    if (n < min) problem(issues, `Too small: expected number to be >=${min}`);
    return issues.length > before ? FAILED : n;
  };
}

const TRUE = new Set(["true", "yes", "on"]);
const FALSE = new Set(["false", "no", "off"]);

/** true/false, yes/no or on/off (`ini` has already turned a bare true or false into a boolean). */
export const bool: Parse<boolean> = (v, issues) => {
  if (typeof v === "boolean") return v;
  if (typeof v === "string" && TRUE.has(v)) return true;
  if (typeof v === "string" && FALSE.has(v)) return false;
  return problem(issues, "Invalid input");
};

/** One of `values`, exactly as written. */
export function enumOf<const T extends string>(values: readonly T[]): Parse<T> {
  const expected = values.map((x) => `"${x}"`).join("|");
  return (v, issues) =>
    values.includes(v as T) ? (v as T) : problem(issues, `Invalid option: expected one of ${expected}`);
}

/** Comma-separated items, trimmed, empty ones dropped; each read by `item`, at least `min` of them. */
export function list<T = string>(opts: { item?: Parse<T>; min?: number; message?: string } = {}): Parse<T[]> {
  return (v, issues) => {
    if (typeof v !== "string") return wrongType(issues, "string", v);
    const items = v
      .split(",")
      .map((x) => x.trim())
      .filter((x) => x !== "");
    const before = issues.length;
    const out = items.map((x, i) => {
      if (!opts.item) return x as T;
      const mine: Issue[] = [];
      const r = opts.item(x, mine);
      for (const m of mine) issues.push({ path: [i, ...m.path], message: m.message });
      return r;
    });
    if (items.length < (opts.min ?? 0))
      problem(issues, opts.message ?? `Too small: expected array to have >=${opts.min} items`);
    return issues.length > before ? FAILED : (out as T[]);
  };
}

/** A URL the WHATWG parser accepts (tabs and newlines dropped, as it does); `check` says what else is wrong. */
export function url(check: (v: string) => string | undefined): Parse<string> {
  return (v, issues) => {
    if (typeof v !== "string") return wrongType(issues, "string", v);
    const trimmed = v.trim();
    const ok = URL.canParse(trimmed);
    const value = ok ? trimmed.replace(/[\t\n\r]/g, "") : v;
    if (!ok) problem(issues, "Invalid URL");
    const wrong = check(value);
    if (wrong !== undefined) problem(issues, wrong);
    return ok && wrong === undefined ? value : FAILED;
  };
}

/** The key may be left out. */
export function optional<T>(parse: Parse<T>): Parse<T | undefined> {
  return (v, issues) => (v === undefined ? undefined : parse(v, issues));
}

/** Left out, the key is `value` (taken as it is). */
export function orDefault<T, D extends T>(parse: Parse<T>, value: D): Parse<T> {
  return (v, issues) => (v === undefined ? value : parse(v, issues));
}

/** Left out, the key reads as if `written` had been written. */
export function prefault<T>(parse: Parse<T>, written: string): Parse<T> {
  return (v, issues) => parse(v === undefined ? written : v, issues);
}
