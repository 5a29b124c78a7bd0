// Ranger policies in Ranger's own JSON shapes (RangerPolicy, RangerRole, the admin export and the plugin
// download), for tests: the fields Ranger writes, with its names and defaults.

export interface ItemSpec {
  accesses: string[];
  users?: string[];
  groups?: string[];
  roles?: string[];
  conditions?: { type: string; values: string[] }[];
}

export interface PolicySpec {
  id: number;
  name: string;
  service?: string;
  resources: Record<string, string[] | { values: string[]; isExcludes?: boolean }>;
  allow?: ItemSpec[];
  deny?: ItemSpec[];
  allowExceptions?: ItemSpec[];
  denyExceptions?: ItemSpec[];
  isEnabled?: boolean;
  policyType?: number;
  policyPriority?: number;
  isDenyAllElse?: boolean;
  zoneName?: string;
}

function item(i: ItemSpec): Record<string, unknown> {
  return {
    accesses: i.accesses.map((type) => ({ type, isAllowed: true })),
    users: i.users ?? [],
    groups: i.groups ?? [],
    roles: i.roles ?? [],
    conditions: i.conditions ?? [],
    delegateAdmin: false,
  };
}

/** A RangerPolicy as Ranger Admin serialises it (2.x, Jackson). */
export function rangerPolicy(p: PolicySpec): Record<string, unknown> {
  const resources: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(p.resources)) {
    const r = Array.isArray(v) ? { values: v } : v;
    resources[k] = { values: r.values, isExcludes: r.isExcludes ?? false, isRecursive: false };
  }
  return {
    id: p.id,
    guid: `00000000-0000-0000-0000-${String(p.id).padStart(12, "0")}`,
    isEnabled: p.isEnabled ?? true,
    version: 1,
    service: p.service ?? "cm_hive",
    name: p.name,
    policyType: p.policyType ?? 0,
    policyPriority: p.policyPriority ?? 0,
    description: "",
    isAuditEnabled: true,
    resources,
    policyItems: (p.allow ?? []).map(item),
    denyPolicyItems: (p.deny ?? []).map(item),
    allowExceptions: (p.allowExceptions ?? []).map(item),
    denyExceptions: (p.denyExceptions ?? []).map(item),
    dataMaskPolicyItems: [],
    rowFilterPolicyItems: [],
    serviceType: "hive",
    options: {},
    validitySchedules: [],
    policyLabels: [],
    isDenyAllElse: p.isDenyAllElse ?? false,
    ...(p.zoneName ? { zoneName: p.zoneName } : {}),
  };
}

export function rangerRole(name: string, m: { users?: string[]; groups?: string[]; roles?: string[] }) {
  const members = (l: string[] | undefined) => (l ?? []).map((n) => ({ name: n, isAdmin: false }));
  return {
    id: name.length,
    isEnabled: true,
    name,
    users: members(m.users),
    groups: members(m.groups),
    roles: members(m.roles),
  };
}

/** `GET /service/plugins/policies/exportJson` as Ranger Admin writes it. */
export function rangerExport(policies: PolicySpec[], roles: ReturnType<typeof rangerRole>[] = []): string {
  return JSON.stringify({
    metaDataInfo: {
      "Host name": "ranger.example.com",
      "Exported by": "admin",
      "Export time": "Nov 29, 2026 12:00:00 PM",
      "Ranger apache version": "2.4.0",
    },
    policies: policies.map(rangerPolicy),
    ...(roles.length > 0 ? { roles } : {}),
    startIndex: 0,
    pageSize: 0,
    totalCount: 0,
    resultSize: 0,
    queryTimeMS: 0,
  });
}

/** `GET /service/plugins/policies/download/{service}` as a plugin receives it. */
export function rangerDownload(service: string, policies: PolicySpec[]): string {
  return JSON.stringify({
    serviceName: service,
    serviceId: 3,
    policyVersion: 42,
    policyUpdateTime: 1764417600000,
    policies: policies.map(rangerPolicy),
    auditMode: "audit-default",
  });
}
