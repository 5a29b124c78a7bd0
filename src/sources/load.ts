// Reads the configured grant source and location source into the model. A model with any error
// is withheld: callers act on a complete, valid model or not at all.

import type { Catalog, CatalogLoadResult } from "../catalog/model.ts";
import type { Config } from "../config/types.ts";
import { type Diagnostic, toGsError } from "../errors.ts";
import type { Policy, PolicyLoadResult } from "../policy/model.ts";
import { screenPrincipals } from "../policy/principals.ts";

export interface Model {
  policy: Policy;
  catalog: Catalog;
}

export interface ModelLoad {
  model?: Model;
  errors: Diagnostic[];
  warnings: Diagnostic[];
  /** Files read (for watching); database sources appear as their table names. */
  sources: string[];
}

/** Every grant source passes through here, so the principal-name rule holds for each of them. */
export async function loadPolicy(config: Config): Promise<PolicyLoadResult> {
  const p = config.policy;
  try {
    return screenPrincipals(await loadGrantSource(p), config.target?.type);
  } catch (err) {
    return { errors: [asDiagnostic(err, "GS_POLICY_READ")], warnings: [], sources: [] };
  }
}

async function loadGrantSource(p: Config["policy"]): Promise<PolicyLoadResult> {
  if (p.type === "file") {
    const { loadPolicyFile } = await import("../policy/file-source.ts");
    return await loadPolicyFile(p.file, { server: p.server });
  }
  if (p.type === "hms-grants") {
    const { loadHmsGrantsPolicy } = await import("../policy/hms-grants/source.ts");
    return await loadHmsGrantsPolicy(p);
  }
  if (p.type === "ranger") {
    const { loadRangerPolicy } = await import("../policy/ranger/source.ts");
    return await loadRangerPolicy(p);
  }
  const { loadSentryDbPolicy } = await import("../policy/sentry-db/source.ts");
  return await loadSentryDbPolicy(p);
}

export async function loadCatalog(config: Config): Promise<CatalogLoadResult> {
  const c = config.catalog;
  try {
    if (c.type === "file") {
      const { loadLocationsFile } = await import("../catalog/locations-file.ts");
      return await loadLocationsFile(c.file);
    }
    const { loadHmsCatalog } = await import("../catalog/hms/snapshot.ts");
    return await loadHmsCatalog(c);
  } catch (err) {
    return { errors: [asDiagnostic(err, "GS_CATALOG_READ")], warnings: [], sources: [] };
  }
}

export interface SourceOverrides {
  /** Reads the catalog another way, e.g. a daemon's metastore follower instead of a full snapshot. */
  catalog?: () => Promise<CatalogLoadResult>;
}

export async function loadModel(config: Config, overrides: SourceOverrides = {}): Promise<ModelLoad> {
  const catalogLoad = overrides.catalog
    ? overrides.catalog().catch(
        (err: unknown): CatalogLoadResult => ({
          errors: [asDiagnostic(err, "GS_CATALOG_READ")],
          warnings: [],
          sources: [],
        }),
      )
    : loadCatalog(config);
  const [policy, catalog] = await Promise.all([loadPolicy(config), catalogLoad]);
  const errors = [...policy.errors, ...catalog.errors];
  const warnings = [...policy.warnings, ...catalog.warnings];
  const sources = [...policy.sources, ...catalog.sources];
  if (errors.length > 0 || !policy.policy || !catalog.catalog) return { errors, warnings, sources };
  return { model: { policy: policy.policy, catalog: catalog.catalog }, errors, warnings, sources };
}

function asDiagnostic(err: unknown, code: "GS_POLICY_READ" | "GS_CATALOG_READ"): Diagnostic {
  const e = toGsError(err, code);
  return { severity: "error", code: e.code, message: e.message, ...(e.location ? { file: e.location } : {}) };
}
