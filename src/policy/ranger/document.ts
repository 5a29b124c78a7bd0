// Recognises the JSON shapes Ranger writes policies in: an admin export ({metaDataInfo, policies}),
// a plugin download ({serviceName, policyVersion, policies}), a v2 REST page (a bare array), and the
// role lists (`roles`, a roles download's `rangerRoles`, or a bare array from GET /api/roles).

import type { Diagnostic } from "../../errors.ts";
import {
  RangerJsonProblem,
  type RangerPolicyJson,
  type RangerRoleJson,
  readPolicy,
  readRole,
} from "./json.ts";

export interface RangerDocument {
  policies: RangerPolicyJson[];
  roles: RangerRoleJson[];
  /** A plugin download names its service. */
  serviceName?: string;
  errors: Diagnostic[];
  warnings: Diagnostic[];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function error(file: string, message: string): Diagnostic {
  return { severity: "error", code: "GS_POLICY_SYNTAX", message, file };
}

/** Each item read by `read`; an item it refuses is an error naming the item and what is wrong in it. */
function parseList<T>(
  list: unknown,
  read: (v: unknown) => T,
  what: string,
  file: string,
  errors: Diagnostic[],
): T[] {
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) {
    errors.push(error(file, `${what} is not a JSON array`));
    return [];
  }
  const out: T[] = [];
  list.forEach((v, i) => {
    try {
      out.push(read(v));
    } catch (err) {
      if (!(err instanceof RangerJsonProblem)) throw err;
      const id = isObject(v) && typeof v.id === "number" ? ` (id ${v.id})` : "";
      errors.push(error(file, `${what}[${i}]${id}.${err.path.join(".")}: ${err.message}`));
    }
  });
  return out;
}

/** Parses one JSON text; a malformed policy is an error, since dropping a deny could grant more. */
export function parseRangerDocument(text: string, file: string): RangerDocument {
  const errors: Diagnostic[] = [];
  const warnings: Diagnostic[] = [];
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return {
      policies: [],
      roles: [],
      errors: [error(file, `not JSON: ${(err as Error).message}`)],
      warnings,
    };
  }
  if (Array.isArray(json))
    return { policies: parseList(json, readPolicy, "policies", file, errors), roles: [], errors, warnings };
  if (!isObject(json))
    return { policies: [], roles: [], errors: [error(file, "not a Ranger policy export")], warnings };
  if (json.policies === undefined && json.roles === undefined && json.rangerRoles === undefined)
    errors.push(
      error(file, "neither policies nor roles: not a Ranger export, plugin download or roles file"),
    );
  const policies = parseList(json.policies, readPolicy, "policies", file, errors);
  const roles = [
    ...parseList(json.roles, readRole, "roles", file, errors),
    ...parseList(json.rangerRoles, readRole, "rangerRoles", file, errors),
  ];
  if (isObject(json.securityZones) && Object.keys(json.securityZones).length > 0)
    warnings.push({
      severity: "warning",
      code: "GS_POLICY_INVALID",
      message: `security zones ${Object.keys(json.securityZones).join(", ")} are not read: their policies give nothing`,
      file,
    });
  if (
    isObject(json.tagPolicies) &&
    Array.isArray(json.tagPolicies.policies) &&
    json.tagPolicies.policies.length > 0
  )
    warnings.push({
      severity: "warning",
      code: "GS_POLICY_INVALID",
      message: "tag-based policies are not read",
      file,
    });
  return {
    policies,
    roles,
    ...(typeof json.serviceName === "string" ? { serviceName: json.serviceName } : {}),
    errors,
    warnings,
  };
}

/** Role lists as a file or GET /service/public/v2/api/roles give them. */
export function parseRangerRoles(json: unknown, file: string, errors: Diagnostic[]): RangerRoleJson[] {
  if (Array.isArray(json)) return parseList(json, readRole, "roles", file, errors);
  if (isObject(json))
    return [
      ...parseList(json.roles, readRole, "roles", file, errors),
      ...parseList(json.rangerRoles, readRole, "rangerRoles", file, errors),
    ];
  errors.push(error(file, "not a Ranger roles list"));
  return [];
}
