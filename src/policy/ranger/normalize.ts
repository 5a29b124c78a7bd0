// RangerPolicy JSON → the rules the evaluator reads: only enabled access policies of the service, on
// database/table/column resources; roles expanded; everything that gives no file ACL reported.

import type { Diagnostic } from "../../errors.ts";
import type { RangerPolicyItemJson, RangerPolicyJson, RangerResourcesJson, RangerRoleJson } from "./json.ts";
import type { NameMatcher, RangerItem, RangerRule, ResourceSet } from "./rules.ts";

const R = 4;
const W = 2;
const ACCESS_BITS: Readonly<Record<string, number>> = { select: R, read: R, update: W, write: W, all: R | W };
const POLICY_TYPES: Readonly<Record<number, string>> = { 1: "a masking", 2: "a row-filter", 3: "an audit" };
const HIVE_LEVELS = new Set(["database", "table", "column"]);

export interface NormalizeResult {
  rules: RangerRule[];
  warnings: Diagnostic[];
}

interface RoleMembers {
  users: Set<string>;
  groups: Set<string>;
}

/** Every user and group of each role, through nested roles (Ranger's membership is transitive). */
function expandRoles(roles: readonly RangerRoleJson[]): Map<string, RoleMembers> {
  const byName = new Map(roles.filter((r) => r.isEnabled !== false).map((r) => [r.name, r]));
  const out = new Map<string, RoleMembers>();
  const visit = (name: string, seen: Set<string>, acc: RoleMembers) => {
    const r = byName.get(name);
    if (!r || seen.has(name)) return;
    seen.add(name);
    for (const u of r.users) acc.users.add(u);
    for (const g of r.groups) acc.groups.add(g);
    for (const sub of r.roles) visit(sub, seen, acc);
  };
  for (const name of byName.keys()) {
    const acc = { users: new Set<string>(), groups: new Set<string>() };
    visit(name, new Set(), acc);
    out.set(name, acc);
  }
  return out;
}

function matcher(r: { values: string[]; isExcludes?: boolean | null | undefined }): NameMatcher {
  return {
    values: r.values.map((v) => v.trim().toLowerCase()).filter((v) => v !== ""),
    excludes: r.isExcludes === true,
  };
}

function resourceSet(res: RangerResourcesJson): ResourceSet | string {
  const other = Object.keys(res).filter((k) => !HIVE_LEVELS.has(k));
  if (other.length > 0) return `a policy on ${other.join(", ")} gives no file ACL`;
  if (!res.database) return "a policy without a database resource gives no file ACL";
  return {
    database: matcher(res.database),
    ...(res.table ? { table: matcher(res.table) } : {}),
    ...(res.column ? { column: matcher(res.column) } : {}),
  };
}

type Warn = (message: string) => void;

/** Why a policy is left out whole (another service, disabled, not an access policy, a zone), if it is. */
function skipReason(p: RangerPolicyJson, service: string): string | undefined {
  if (p.service && p.service !== service) return `is for service ${p.service}, not ${service}; ignored`;
  if (p.isEnabled === false) return "is disabled; ignored";
  const type = p.policyType ?? 0;
  if (type !== 0)
    return `is ${POLICY_TYPES[type] ?? `a type ${type}`} policy, which grants no access; ignored`;
  if (p.zoneName) return `belongs to security zone ${p.zoneName}, which grantsync does not read; ignored`;
  return undefined;
}

/** The policy's resources and additional resources that can give a file ACL. */
function resourceSets(p: RangerPolicyJson, warn: Warn): ResourceSet[] {
  const sets: ResourceSet[] = [];
  for (const res of [p.resources, ...p.additionalResources]) {
    const s = resourceSet(res);
    if (typeof s === "string") warn(`${s}; ignored`);
    else sets.push(s);
  }
  return sets;
}

/** The rule of a policy on `sets`, its items still empty; what limits the whole policy is reported. */
function ruleOf(p: RangerPolicyJson, sets: ResourceSet[], warn: Warn): RangerRule {
  const rule: RangerRule = {
    id: p.id,
    name: p.name ?? "",
    priority: p.policyPriority ?? 0,
    resources: sets,
    allow: [],
    deny: [],
    allowExceptions: [],
    denyExceptions: [],
    denyAllElse: p.isDenyAllElse === true,
    conditional: p.conditions.length > 0 || p.validitySchedules.length > 0,
  };
  if (rule.conditional)
    warn("has conditions or validity schedules: its allows give no entry, its denies always apply");
  if (sets.every((s) => s.column && !(s.column.values.includes("*") && !s.column.excludes)))
    warn(
      "covers some columns only: it gives no file access (a file holds every column); its denies apply to the whole table",
    );
  if (rule.denyAllElse)
    warn(
      "denies everything it does not allow (isDenyAllElse): principals allowed elsewhere get no access on its objects",
    );
  return rule;
}

/** Fills the rule's allow, deny and exception lists from the policy's items that grant any access. */
function addItems(
  p: RangerPolicyJson,
  rule: RangerRule,
  members: Map<string, RoleMembers>,
  warn: Warn,
): void {
  const lists = [
    ["policyItems", p.policyItems, rule.allow],
    ["denyPolicyItems", p.denyPolicyItems, rule.deny],
    ["allowExceptions", p.allowExceptions, rule.allowExceptions],
    ["denyExceptions", p.denyExceptions, rule.denyExceptions],
  ] as const;
  for (const [key, list, into] of lists) {
    list.forEach((raw, i) => {
      const item = toItem(`${key}[${i}]`, raw, members, warn);
      if (item.bits === 0) return;
      if (key === "policyItems" && (item.groups.includes("public") || item.users.includes("{USER}")))
        warn(
          `${item.ref} allows every user (public): that needs other::, which grantsync never changes; principals named elsewhere still get it`,
        );
      if (key === "denyPolicyItems" && item.groups.length > 0)
        warn(
          `${item.ref} denies groups ${item.groups.join(", ")}: a group deny cannot be expressed in ACLs, so ` +
            "those groups get no entry, but their members may still reach the files through other entries",
        );
      into.push(item);
    });
  }
}

export function normalizeRangerPolicies(
  policies: readonly RangerPolicyJson[],
  roles: readonly RangerRoleJson[],
  service: string,
  file: string,
): NormalizeResult {
  const members = expandRoles(roles);
  const warnings: Diagnostic[] = [];
  const rules: RangerRule[] = [];
  for (const p of policies) {
    const label = `ranger policy ${p.id} "${p.name ?? ""}"`;
    const warn: Warn = (message) =>
      warnings.push({
        severity: "warning",
        code: "GS_POLICY_INVALID",
        message: `${label}: ${message}`,
        file,
      });
    const skip = skipReason(p, service);
    if (skip !== undefined) {
      warn(skip);
      continue;
    }
    const sets = resourceSets(p, warn);
    if (sets.length === 0) continue;
    const rule = ruleOf(p, sets, warn);
    addItems(p, rule, members, warn);
    rules.push(rule);
  }
  return { rules, warnings };
}

function toItem(
  ref: string,
  raw: RangerPolicyItemJson,
  roles: Map<string, RoleMembers>,
  warn: Warn,
): RangerItem {
  let bits = 0;
  const inert: string[] = [];
  for (const a of raw.accesses) {
    if (a.isAllowed === false) continue;
    const b = ACCESS_BITS[a.type.toLowerCase()];
    if (b === undefined) inert.push(a.type);
    else bits |= b;
  }
  if (inert.length > 0) warn(`${ref}: access ${inert.join(", ")} gives no file access`);
  const item: RangerItem = {
    ref,
    users: [],
    groups: [],
    viaRole: {},
    bits,
    conditional: raw.conditions.length > 0,
  };
  if (bits === 0) return item;
  if (item.conditional)
    warn(`${ref} has conditions: as an allow it gives no entry, as a deny it always applies`);
  const add = (kind: "user" | "group", name: string, role?: string) => {
    const list = kind === "user" ? item.users : item.groups;
    if (name === "{OWNER}")
      return warn(`${ref}: {OWNER} (the object's owner) is not known to grantsync; ignored`);
    if (list.includes(name)) return;
    list.push(name);
    if (role) item.viaRole[`${kind}:${name}`] = role;
  };
  for (const u of raw.users) add("user", u);
  for (const g of raw.groups) add("group", g);
  for (const role of raw.roles) {
    const m = roles.get(role);
    if (!m) {
      warn(`${ref}: role ${role} is not defined in the roles read; ignored`);
      continue;
    }
    for (const u of m.users) add("user", u, role);
    for (const g of m.groups) add("group", g, role);
  }
  return item;
}
