// The parts of Ranger's JSON model (RangerPolicy, RangerRole) a reader needs, validated as untrusted
// input: unknown keys are ignored and missing lists are empty, as Ranger's own serialisers do.

/** The first thing wrong in a value, at its path below the value (`denyPolicyItems.0.accesses`). */
export class RangerJsonProblem extends Error {
  constructor(
    readonly path: (string | number)[],
    message: string,
  ) {
    super(message);
  }
}

type Path = (string | number)[];

function typeName(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  return typeof v;
}

function refuse(path: Path, expected: string, v: unknown): never {
  throw new RangerJsonProblem(path, `Invalid input: expected ${expected}, received ${typeName(v)}`);
}

function object(v: unknown, path: Path, expected = "object"): Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) refuse(path, expected, v);
  return v as Record<string, unknown>;
}

function string(v: unknown, path: Path): string {
  return typeof v === "string" ? v : refuse(path, "string", v);
}

function int(v: unknown, path: Path): number {
  if (typeof v !== "number") refuse(path, "number", v);
  if (!Number.isInteger(v)) refuse(path, "int", v);
  if (v > Number.MAX_SAFE_INTEGER)
    throw new RangerJsonProblem(path, `Too big: expected int to be <=${Number.MAX_SAFE_INTEGER}`);
  if (v < Number.MIN_SAFE_INTEGER)
    throw new RangerJsonProblem(path, `Too small: expected int to be >=${Number.MIN_SAFE_INTEGER}`);
  return v;
}

function boolean(v: unknown, path: Path): boolean {
  return typeof v === "boolean" ? v : refuse(path, "boolean", v);
}

/** A list that may be missing or null (then empty), each item read by `item`. */
function list<T>(v: unknown, path: Path, item: (v: unknown, path: Path) => T): T[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) refuse(path, "array", v);
  return v.map((x, i) => item(x, [...path, i]));
}

const any = (v: unknown) => v;

/** The keys of `o` that may be missing or null, copied when present and of their type. */
function nullable<K extends string, T>(
  o: Record<string, unknown>,
  path: Path,
  keys: readonly K[],
  read: (v: unknown, path: Path) => T,
): { [P in K]?: T | null } {
  const out: { [P in K]?: T | null } = {};
  for (const k of keys) {
    if (!(k in o)) continue;
    const v = o[k];
    out[k] = v === undefined || v === null ? (v as null) : read(v, [...path, k]);
  }
  return out;
}

export interface RangerAccessJson {
  type: string;
  isAllowed?: boolean | null;
}

export interface RangerPolicyItemJson {
  accesses: RangerAccessJson[];
  users: string[];
  groups: string[];
  roles: string[];
  conditions: unknown[];
}

function readPolicyItem(v: unknown, path: Path): RangerPolicyItemJson {
  const o = object(v, path);
  return {
    accesses: list(o.accesses, [...path, "accesses"], (a, at) => {
      const access = object(a, at);
      return {
        type: string(access.type, [...at, "type"]),
        ...nullable(access, at, ["isAllowed"], boolean),
      };
    }),
    users: list(o.users, [...path, "users"], string),
    groups: list(o.groups, [...path, "groups"], string),
    roles: list(o.roles, [...path, "roles"], string),
    conditions: list(o.conditions, [...path, "conditions"], any),
  };
}

export type RangerResourcesJson = Record<string, { values: string[]; isExcludes?: boolean | null }>;

function readResources(v: unknown, path: Path): RangerResourcesJson {
  const o = object(v, path, "record");
  const out: RangerResourcesJson = {};
  for (const key of Object.keys(o)) {
    if (key === "__proto__") continue;
    const at = [...path, key];
    const r = object(o[key], at);
    out[key] = {
      values: list(r.values, [...at, "values"], string),
      ...nullable(r, at, ["isExcludes"], boolean),
    };
  }
  return out;
}

export interface RangerPolicyJson {
  id: number;
  name?: string | null;
  service?: string | null;
  isEnabled?: boolean | null;
  policyType?: number | null;
  policyPriority?: number | null;
  resources: RangerResourcesJson;
  additionalResources: RangerResourcesJson[];
  policyItems: RangerPolicyItemJson[];
  denyPolicyItems: RangerPolicyItemJson[];
  allowExceptions: RangerPolicyItemJson[];
  denyExceptions: RangerPolicyItemJson[];
  isDenyAllElse?: boolean | null;
  zoneName?: string | null;
  conditions: unknown[];
  validitySchedules: unknown[];
}

/** One RangerPolicy; throws the first RangerJsonProblem, keys checked in this order. */
export function readPolicy(v: unknown): RangerPolicyJson {
  const o = object(v, []);
  const items = (key: string) => list(o[key], [key], readPolicyItem);
  return {
    id: int(o.id, ["id"]),
    ...nullable(o, [], ["name", "service"], string),
    ...nullable(o, [], ["isEnabled"], boolean),
    ...nullable(o, [], ["policyType", "policyPriority"], int),
    resources:
      o.resources === undefined || o.resources === null ? {} : readResources(o.resources, ["resources"]),
    additionalResources: list(o.additionalResources, ["additionalResources"], readResources),
    policyItems: items("policyItems"),
    denyPolicyItems: items("denyPolicyItems"),
    allowExceptions: items("allowExceptions"),
    denyExceptions: items("denyExceptions"),
    ...nullable(o, [], ["isDenyAllElse"], boolean),
    ...nullable(o, [], ["zoneName"], string),
    conditions: list(o.conditions, ["conditions"], any),
    validitySchedules: list(o.validitySchedules, ["validitySchedules"], any),
  };
}

export interface RangerRoleJson {
  name: string;
  isEnabled?: boolean | null;
  users: string[];
  groups: string[];
  roles: string[];
}

const memberNames = (v: unknown, path: Path) =>
  list(v, path, (m, at) => string(object(m, at).name, [...at, "name"]));

/** One RangerRole, its members by name; throws the first RangerJsonProblem. */
export function readRole(v: unknown): RangerRoleJson {
  const o = object(v, []);
  return {
    name: string(o.name, ["name"]),
    ...nullable(o, [], ["isEnabled"], boolean),
    users: memberNames(o.users, ["users"]),
    groups: memberNames(o.groups, ["groups"]),
    roles: memberNames(o.roles, ["roles"]),
  };
}
