// Ranger's decision for each catalog object and each principal its policies name, per read and write
// bit, in Ranger's order: higher priority first; within one, any deny (after deny exceptions) beats
// any allow (after allow exceptions); `isDenyAllElse` denies what its policy does not allow.

import type { Action, Grant, Principal, Privilege } from "../model.ts";
import { matchesName, matchResources, type RangerRequest, type ResourceMatch } from "./match.ts";
import type { RangerItem, RangerRule, RangerRules } from "./rules.ts";

const R = 4;
const W = 2;

export interface RangerObject extends RangerRequest {
  /** The catalog object name (`db` or `db.table`). */
  name: string;
}

interface Applicable {
  rule: RangerRule;
  match: Exclude<ResourceMatch, "none">;
}

interface Decision {
  effect: "allow" | "deny";
  rule: RangerRule;
  item?: RangerItem;
  /** The item reference, or `isDenyAllElse`. */
  ref: string;
}

function itemMatches(item: RangerItem, p: Principal): boolean {
  if (item.groups.includes("public") || item.users.includes("{USER}")) return true;
  return p.kind === "user" ? item.users.includes(p.name) : item.groups.includes(p.name);
}

function allowingItem(rule: RangerRule, p: Principal, bit: number): RangerItem | undefined {
  if (rule.conditional) return undefined;
  // A conditional allow exception may apply, so it cancels: never more than Ranger allows.
  if (rule.allowExceptions.some((e) => e.bits & bit && itemMatches(e, p))) return undefined;
  return rule.allow.find((i) => !i.conditional && i.bits & bit && itemMatches(i, p));
}

function denyingItem(rule: RangerRule, p: Principal, bit: number): RangerItem | undefined {
  const item = rule.deny.find((i) => i.bits & bit && itemMatches(i, p));
  if (!item) return undefined;
  // A conditional deny exception may not apply, so the deny stands.
  const excepted = rule.denyExceptions.some((e) => !e.conditional && e.bits & bit && itemMatches(e, p));
  return excepted ? undefined : item;
}

function decide(applicable: readonly Applicable[], p: Principal, bit: number): Decision | undefined {
  const priorities = [...new Set(applicable.map((a) => a.rule.priority))].sort((a, b) => b - a);
  for (const priority of priorities) {
    let allowed: Decision | undefined;
    for (const { rule, match } of applicable) {
      if (rule.priority !== priority) continue;
      const deny = denyingItem(rule, p, bit);
      if (deny) return { effect: "deny", rule, item: deny, ref: deny.ref };
      // A policy on some columns only gives no table access (a file holds every column); its
      // denies still count above, since the file holds the denied columns too.
      if (match === "columns") continue;
      const allow = allowingItem(rule, p, bit);
      if (!allow && rule.denyAllElse) return { effect: "deny", rule, ref: "isDenyAllElse" };
      if (allow && !allowed) allowed = { effect: "allow", rule, item: allow, ref: allow.ref };
    }
    if (allowed) return allowed;
  }
  return undefined;
}

/**
 * A user excepted from an allow that a group of his may hold would read through the group's entry;
 * his own named entry (without that bit) keeps him out.
 */
function exceptedFrom(applicable: readonly Applicable[], p: Principal, bit: number): Decision | undefined {
  if (p.kind !== "user") return undefined;
  for (const { rule, match } of applicable) {
    if (match !== "full") continue;
    const e = rule.allowExceptions.find((x) => x.bits & bit && x.users.includes(p.name));
    if (e) return { effect: "deny", rule, item: e, ref: e.ref };
  }
  return undefined;
}

function candidates(applicable: readonly Applicable[]): Principal[] {
  const out = new Map<string, Principal>();
  for (const { rule } of applicable) {
    for (const item of [...rule.allow, ...rule.deny, ...rule.allowExceptions, ...rule.denyExceptions]) {
      for (const u of item.users)
        if (u !== "{USER}" && u !== "{OWNER}") out.set(`user:${u}`, { kind: "user", name: u });
      for (const g of item.groups) if (g !== "public") out.set(`group:${g}`, { kind: "group", name: g });
    }
  }
  return [...out.values()].sort((a, b) => `${a.kind}:${a.name}`.localeCompare(`${b.kind}:${b.name}`));
}

const ACTION_OF: Record<number, Action> = { [R]: "select", [W]: "insert", [R | W]: "all" };

function accessText(bits: number): string {
  return bits === (R | W) ? "read+write" : bits === R ? "read" : "write";
}

function grantOf(obj: RangerObject, p: Principal, d: Decision, bits: number): Grant {
  const source = { file: `ranger policy ${d.rule.id} "${d.rule.name}"`, part: d.ref };
  const privilege: Privilege = {
    text: `${d.effect} ${accessText(bits)} on ${obj.table === undefined ? "database" : "table"} ${obj.name}`,
    server: "",
    db: obj.database,
    action: ACTION_OF[bits]!,
    source,
    ...(obj.table === undefined ? { databaseOnly: true } : { table: obj.table }),
  };
  const role = d.item?.viaRole[`${p.kind}:${p.name}`] ?? "";
  return {
    principal: p,
    role,
    privilege,
    via: role ? { file: `ranger role ${role}` } : source,
    ...(d.effect === "deny" ? { effect: "deny" as const } : {}),
  };
}

/** Grants (and denies) Ranger's policies give on each object, one per principal and deciding item. */
export function rangerGrants(rules: RangerRules, objects: readonly RangerObject[]): Grant[] {
  const out: Grant[] = [];
  // Most policies name few databases: test a warehouse's many tables only against their database's.
  const byDatabase = new Map<string, RangerRule[]>();
  for (const obj of objects) {
    let forDb = byDatabase.get(obj.database);
    if (!forDb) {
      forDb = rules.rules.filter((r) => r.resources.some((set) => matchesName(set.database, obj.database)));
      byDatabase.set(obj.database, forDb);
    }
    const applicable: Applicable[] = [];
    for (const rule of forDb) {
      let best: ResourceMatch = "none";
      for (const set of rule.resources) {
        const m = matchResources(set, obj);
        if (m === "full" || (m === "columns" && best === "none")) best = m;
      }
      if (best !== "none") applicable.push({ rule, match: best });
    }
    if (applicable.length === 0) continue;
    applicable.sort((a, b) => a.rule.id - b.rule.id);
    for (const p of candidates(applicable)) {
      const decided = new Map<string, { d: Decision; bits: number }>();
      for (const bit of [R, W]) {
        let d = decide(applicable, p, bit);
        if (d?.effect !== "allow") d = d ?? exceptedFrom(applicable, p, bit);
        if (!d) continue;
        const key = `${d.effect}|${d.rule.id}|${d.ref}`;
        const cur = decided.get(key) ?? { d, bits: 0 };
        cur.bits |= bit;
        decided.set(key, cur);
      }
      for (const { d, bits } of decided.values()) out.push(grantOf(obj, p, d, bits));
    }
  }
  return out;
}
