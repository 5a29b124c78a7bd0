// What the database grant sources (Hive's own grants, Sentry's DB store) share: one snapshot read
// made into a load result, the warning a row that grants nothing gets, and a cheap fingerprint of
// their tables that tells a daemon whether a reload would read anything new.

import { createHash } from "node:crypto";
import { type DbConnection, type DbSession, withReadOnly } from "../db/connection.ts";
import { type Diagnostic, toGsError } from "../errors.ts";
import { redactUrl } from "../secrets.ts";
import type { Grant, PolicyLoadResult } from "./model.ts";

export function warning(file: string, message: string): Diagnostic {
  return { severity: "warning", code: "GS_POLICY_INVALID", message, file };
}

/**
 * Reads the grants in one snapshot, so a grant being changed while we read is seen wholly before
 * or wholly after; a failure is the load's one error, the warnings so far kept.
 */
export async function loadDbPolicy(
  cfg: DbConnection,
  source: string,
  read: (s: DbSession, warnings: Diagnostic[]) => Promise<Grant[]>,
): Promise<PolicyLoadResult> {
  const sources = [source];
  const warnings: Diagnostic[] = [];
  try {
    const grants = await withReadOnly(cfg, (s) => read(s, warnings), { snapshot: true });
    return { policy: { grants, sources }, errors: [], warnings, sources };
  } catch (err) {
    const e = toGsError(err, "GS_DB_QUERY");
    const d: Diagnostic = { severity: "error", code: e.code, message: e.message, file: redactUrl(cfg.url) };
    return { errors: [d], warnings, sources };
  }
}

/**
 * A digest of aggregates per table (`aggregates`: table → SQL aggregates); equal fingerprints mean
 * a reload would read the same grants. With `mayBeAbsent`, a missing table counts as a state of its
 * own (older schemas lack some). Throws GsError (GS_DB_CONNECT / GS_DB_QUERY).
 */
export async function tablesFingerprint(
  cfg: DbConnection,
  aggregates: Readonly<Record<string, readonly string[]>>,
  mayBeAbsent = false,
): Promise<string> {
  const parts = await withReadOnly(
    cfg,
    async (s) => {
      const out: string[] = [];
      for (const [table, aggs] of Object.entries(aggregates)) {
        if (mayBeAbsent && !(await s.hasTable(table))) {
          out.push(`${table}:absent`);
          continue;
        }
        // Aliased, since PostgreSQL would name two MAX() columns alike and one would hide the other.
        const cols = aggs.map((a, i) => `${a} AS "A${i}"`);
        const [r] = await s.query(`SELECT ${cols.join(", ")} FROM "${table}"`);
        out.push(`${table}:${Object.values(r ?? {}).join(",")}`);
      }
      return out;
    },
    { snapshot: true },
  );
  return createHash("sha256").update(parts.join("\n")).digest("hex");
}
