// Loads a Sentry policy from its global INI file and the per-database files it names: the only
// module here that touches the filesystem; parsing, validation and grant assembly stay pure.

import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Diagnostic } from "../errors.ts";
import { policyDiagnostic } from "./diagnostics.ts";
import { assembleGrants } from "./grants.ts";
import type { Grant, PolicyLoadResult } from "./model.ts";
import { type DatabaseFileRef, type PolicyFileContent, parsePolicyText } from "./policy-file.ts";

export interface PolicyFileOptions {
  /** The server name every privilege must carry (Sentry's ServerNameMustMatch). */
  server: string;
}

/**
 * Reads and validates the whole policy. Unlike Sentry, which drops a file on its first bad line,
 * every problem is reported, and no policy is returned while any error remains.
 */
export async function loadPolicyFile(file: string, opts: PolicyFileOptions): Promise<PolicyLoadResult> {
  const diagnostics: Diagnostic[] = [];
  const sources = [file];
  const text = await readText(file);
  if (typeof text !== "string") {
    diagnostics.push(
      policyDiagnostic("GS_POLICY_READ", `cannot read the policy file: ${text.message}`, file),
    );
    return toResult(diagnostics, sources, []);
  }
  const global = parsePolicyText(text, file, { server: opts.server });
  diagnostics.push(...global.diagnostics);
  const contents = [global.content];
  const perDatabase = await Promise.all(
    global.content.databases.map((ref) => loadDatabaseFile(ref, file, opts.server)),
  );
  for (const loaded of perDatabase) {
    if (loaded.path) sources.push(loaded.path);
    diagnostics.push(...loaded.diagnostics);
    if (loaded.content) contents.push(loaded.content);
  }
  const assembled = assembleGrants(contents);
  diagnostics.push(...assembled.diagnostics);
  return toResult(diagnostics, sources, assembled.grants);
}

interface LoadedDatabaseFile {
  path?: string;
  content?: PolicyFileContent;
  diagnostics: Diagnostic[];
}

async function loadDatabaseFile(
  ref: DatabaseFileRef,
  globalFile: string,
  server: string,
): Promise<LoadedDatabaseFile> {
  const readProblem = (path: string, why: string): Diagnostic =>
    policyDiagnostic(
      "GS_POLICY_READ",
      `cannot read the policy file "${path}" of database "${ref.db}": ${why}`,
      globalFile,
      ref.line,
    );
  const path = resolvePolicyPath(ref.path, globalFile);
  if (path instanceof Error) return { diagnostics: [readProblem(ref.path, path.message)] };
  const text = await readText(path);
  if (typeof text !== "string") return { path, diagnostics: [readProblem(path, text.message)] };
  const parsed = parsePolicyText(text, path, { server, database: ref.db });
  return { path, content: parsed.content, diagnostics: parsed.diagnostics };
}

/** Sentry resolves a relative per-database path against the global file's directory. */
function resolvePolicyPath(written: string, globalFile: string): string | Error {
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(written)?.[1];
  if (scheme === undefined) return resolve(dirname(globalFile), written);
  if (scheme.toLowerCase() !== "file") {
    return new Error(`grantsync reads policy files from the local filesystem only, not ${scheme}:`);
  }
  try {
    return fileURLToPath(written);
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
}

async function readText(path: string): Promise<string | Error> {
  try {
    return await readFile(path, "utf8");
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
}

function toResult(diagnostics: Diagnostic[], sources: string[], grants: Grant[]): PolicyLoadResult {
  // Reading order (file, then line) so a report reads like the files themselves.
  const rank = (d: Diagnostic) => sources.indexOf(d.file ?? "");
  diagnostics.sort((a, b) => rank(a) - rank(b) || (a.line ?? 0) - (b.line ?? 0));
  const errors = diagnostics.filter((d) => d.severity === "error");
  const warnings = diagnostics.filter((d) => d.severity === "warning");
  return { ...(errors.length === 0 ? { policy: { grants, sources } } : {}), errors, warnings, sources };
}
