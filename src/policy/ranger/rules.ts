// Ranger access policies reduced to what decides file access: resource matchers and items with
// read/write bits, users and groups (roles already expanded), in the form the evaluator reads.

/** One resource level's values: Ranger wildcards (`*`, `?`), lower-cased, OR-ed; `excludes` inverts. */
export interface NameMatcher {
  values: string[];
  excludes: boolean;
}

/** `resources` or one of `additionalResources`: a policy applies where any of its sets matches. */
export interface ResourceSet {
  database: NameMatcher;
  table?: NameMatcher;
  column?: NameMatcher;
}

export interface RangerItem {
  /** Where the item sits in its policy, e.g. `denyPolicyItems[0]`. */
  ref: string;
  /** Names as written (case-sensitive), plus `{USER}` for every user. */
  users: string[];
  /** Names as written, plus `public` for every user. */
  groups: string[];
  /** `user:U` / `group:G` → the Ranger role it came through, for principals named only via a role. */
  viaRole: Record<string, string>;
  /** Read (4) and write (2) bits its file-relevant accesses give. */
  bits: number;
  /** Item conditions hold only sometimes: such an allow never grants, such a deny always denies. */
  conditional: boolean;
}

export interface RangerRule {
  id: number;
  name: string;
  /** 0 normal, 1 override: a higher priority decides before a lower one. */
  priority: number;
  resources: ResourceSet[];
  allow: RangerItem[];
  deny: RangerItem[];
  allowExceptions: RangerItem[];
  denyExceptions: RangerItem[];
  denyAllElse: boolean;
  /** Policy conditions or validity schedules: its allows never grant, its denies always deny. */
  conditional: boolean;
}

export interface RangerRules {
  service: string;
  rules: RangerRule[];
}
