// Ranger policies as a grant source: read from a file (admin export or plugin download) or from
// Ranger Admin's REST API, reduced to rules that the compiler evaluates per catalog object.

import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { type Diagnostic, toGsError } from "../../errors.ts";
import type { PolicyLoadResult } from "../model.ts";
import { parseRangerDocument, parseRangerRoles } from "./document.ts";
import type { RangerPolicyJson, RangerRoleJson } from "./json.ts";
import { normalizeRangerPolicies } from "./normalize.ts";
import { fetchRangerPolicies, rangerOrigin } from "./rest.ts";

/** Apache Ranger's Hive policies, from an export or plugin download file, or from Ranger Admin. */
export interface RangerPolicySource {
  type: "ranger";
  /** The Hive service (repository) whose policies apply, e.g. `cm_hive`. */
  service: string;
  /** Exactly one of file and url. */
  file?: string;
  url?: string;
  username?: string;
  passwordFile?: string;
  caFile?: string;
  /** Extra roles (an export or download of Ranger roles), for role names the policies use. */
  rolesFile?: string;
  /** Policies per REST page. */
  pageSize: number;
}

const TIMEOUT_MS = 30_000;

interface Read {
  policies: RangerPolicyJson[];
  roles: RangerRoleJson[];
  errors: Diagnostic[];
  warnings: Diagnostic[];
  sources: string[];
  /** Where diagnostics about policies point: the file, or the service's REST URL. */
  where: string;
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (err) {
    throw toGsError(err, "GS_POLICY_READ", { location: file });
  }
}

async function readFromFile(cfg: RangerPolicySource & { file: string }): Promise<Read> {
  const doc = parseRangerDocument(await readText(cfg.file), cfg.file);
  const r: Read = { ...doc, sources: [cfg.file], where: cfg.file };
  if (doc.serviceName !== undefined && doc.serviceName !== cfg.service)
    r.errors.push({
      severity: "error",
      code: "GS_POLICY_INVALID",
      message: `this plugin download is for service ${doc.serviceName}, not [policy] service = ${cfg.service}`,
      file: cfg.file,
    });
  return r;
}

async function readFromRest(cfg: RangerPolicySource & { url: string }): Promise<Read> {
  const where = `${rangerOrigin(cfg.url)}/service/public/v2/api/service/${cfg.service}/policy`;
  const fetched = await fetchRangerPolicies({
    url: cfg.url,
    service: cfg.service,
    ...(cfg.username ? { username: cfg.username } : {}),
    ...(cfg.passwordFile ? { passwordFile: cfg.passwordFile } : {}),
    ...(cfg.caFile ? { caFile: cfg.caFile } : {}),
    pageSize: cfg.pageSize,
    timeoutMs: TIMEOUT_MS,
  });
  const doc = parseRangerDocument(JSON.stringify(fetched.policies), where);
  const roles = fetched.roles
    ? parseRangerRoles(fetched.roles, `${rangerOrigin(cfg.url)}/service/public/v2/api/roles`, doc.errors)
    : [];
  if (fetched.rolesProblem)
    doc.warnings.push({
      severity: "warning",
      code: "GS_POLICY_INVALID",
      message: fetched.rolesProblem,
      file: where,
    });
  return { ...doc, roles, sources: [`ranger:${where}`], where };
}

async function readRoles(file: string, errors: Diagnostic[]): Promise<RangerRoleJson[]> {
  let json: unknown;
  try {
    json = JSON.parse(await readText(file));
  } catch (err) {
    if (err instanceof SyntaxError) {
      errors.push({ severity: "error", code: "GS_POLICY_SYNTAX", message: `not JSON: ${err.message}`, file });
      return [];
    }
    throw err;
  }
  return parseRangerRoles(json, file, errors);
}

async function read(cfg: RangerPolicySource): Promise<Read> {
  const r = cfg.file
    ? await readFromFile({ ...cfg, file: cfg.file })
    : await readFromRest({ ...cfg, url: cfg.url! });
  if (cfg.rolesFile) {
    r.roles.push(...(await readRoles(cfg.rolesFile, r.errors)));
    r.sources.push(cfg.rolesFile);
  }
  return r;
}

export async function loadRangerPolicy(cfg: RangerPolicySource): Promise<PolicyLoadResult> {
  let r: Read;
  try {
    r = await read(cfg);
  } catch (err) {
    const e = toGsError(err, "GS_POLICY_READ");
    const file = e.location ?? cfg.file ?? rangerOrigin(cfg.url ?? "");
    return {
      errors: [{ severity: "error", code: e.code, message: e.message, file }],
      warnings: [],
      sources: cfg.file ? [cfg.file] : [],
    };
  }
  if (r.errors.length > 0) return { errors: r.errors, warnings: r.warnings, sources: r.sources };
  const n = normalizeRangerPolicies(r.policies, r.roles, cfg.service, r.where);
  return {
    policy: { grants: [], sources: r.sources, ranger: { service: cfg.service, rules: n.rules } },
    errors: [],
    warnings: [...r.warnings, ...n.warnings],
    sources: r.sources,
  };
}

/** A digest of what Ranger Admin serves: equal digests mean a reload would compile the same policy. */
export async function rangerRestFingerprint(cfg: RangerPolicySource): Promise<string> {
  const r = await read(cfg);
  return createHash("sha256")
    .update(JSON.stringify([r.policies, r.roles, r.errors]))
    .digest("hex");
}
