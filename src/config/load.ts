// Reads grantsync's own INI config (with `ini`), refuses unknown sections and keys, validates every
// value once against schema.ts, and has sections.ts map the result onto the typed Config.

import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parse as parseIni } from "ini";
import { type Diagnostic, diagnosticError, GsError } from "../errors.ts";
import { parseSections } from "./schema.ts";
import { ConfigProblem, toConfig } from "./sections.ts";
import { iniLines, located, unknownNames } from "./strict.ts";
import type { Config } from "./types.ts";

export interface ConfigCheck {
  config?: Config;
  /** Every problem found, each at its FILE:LINE; config is set only when there is none. */
  errors: Diagnostic[];
}

export function loadConfig(file: string): Config {
  return configOrThrow(readConfig(file));
}

export function parseConfig(text: string, file: string): Config {
  return configOrThrow(checkConfigText(text, file));
}

/** The config file checked completely, for `validate`: every error, not only the first. */
export function readConfig(file: string): ConfigCheck {
  const abs = resolve(file);
  let text: string;
  try {
    text = readFileSync(abs, "utf8");
  } catch (err) {
    throw new GsError("GS_CONFIG_READ", `cannot read config: ${(err as Error).message}`, {
      location: abs,
      cause: err,
    });
  }
  return checkConfigText(text, abs);
}

export function checkConfigText(text: string, file: string): ConfigCheck {
  const lines = iniLines(text);
  const errors = unknownNames(lines, file);
  const parsed = parseSections(parseIni(text));
  if (!parsed.data) {
    for (const issue of parsed.issues) {
      const [section, key] = issue.path.map(String);
      const name = key === undefined ? `[${section}]` : `[${section}] ${issue.path.slice(1).join(".")}`;
      const missing = section !== undefined && !lines.sections.has(section);
      errors.push({
        severity: "error",
        code: "GS_CONFIG_INVALID",
        message: `${name}: ${missing ? "section required" : issue.message}`,
        file,
        ...located(lines, section, key),
      });
    }
  }
  if (errors.length > 0 || !parsed.data) return { errors };
  try {
    return { config: toConfig(parsed.data, file, lines), errors };
  } catch (err) {
    if (!(err instanceof ConfigProblem)) throw err;
    return { errors: [err.diagnostic] };
  }
}

/** The first error at its FILE:LINE, saying how many more `validate` would list. */
export function configOrThrow(check: ConfigCheck): Config {
  if (check.config) return check.config;
  const [first, ...rest] = check.errors;
  const more = rest.length > 0 ? ` (and ${rest.length} more; \`grantsync validate\` lists them)` : "";
  throw diagnosticError({ ...first!, message: `${first!.message}${more}` });
}
