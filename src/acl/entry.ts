// The ACL model every target shares: entries with a scope, a type, an optional name and rwx bits.
// An Acl is the whole list, base entries included, kept in canonical order (see canonicalize).

export type AclScope = "access" | "default";
export type AclType = "user" | "group" | "mask" | "other";

/** Permission bits as in POSIX and HDFS: r=4, w=2, x=1. */
export type Perm = number;
export const R = 4;
export const W = 2;
export const X = 1;

export interface AclEntry {
  readonly scope: AclScope;
  readonly type: AclType;
  /** "" for the owner, owning group, mask and other entries. */
  readonly name: string;
  readonly perm: Perm;
}

export type Acl = readonly AclEntry[];

/** Identity of an entry without its permission: `default:group:eng`, `user:` (owner). */
export function entryKey(e: Pick<AclEntry, "scope" | "type" | "name">): string {
  return `${e.scope === "default" ? "default:" : ""}${e.type}:${e.name}`;
}

export function permText(p: Perm): string {
  return `${p & R ? "r" : "-"}${p & W ? "w" : "-"}${p & X ? "x" : "-"}`;
}

export function isNamed(e: AclEntry): boolean {
  return (e.type === "user" || e.type === "group") && e.name !== "";
}

/** Group-class entries are the ones the mask limits: named users, the owning group, named groups. */
export function isGroupClass(e: AclEntry): boolean {
  return (e.type === "user" && e.name !== "") || e.type === "group";
}

const TYPE_ORDER: Record<AclType, number> = { user: 0, group: 1, mask: 2, other: 3 };

/** Order used by getfacl and HDFS: scope, type, unnamed before named, then name. */
export function compareEntries(a: AclEntry, b: AclEntry): number {
  if (a.scope !== b.scope) return a.scope === "access" ? -1 : 1;
  if (a.type !== b.type) return TYPE_ORDER[a.type] - TYPE_ORDER[b.type];
  if (a.name === b.name) return 0;
  if (a.name === "") return -1;
  if (b.name === "") return 1;
  return a.name < b.name ? -1 : 1;
}

export function sortEntries(entries: Iterable<AclEntry>): AclEntry[] {
  return [...entries].sort(compareEntries);
}

export function entry(scope: AclScope, type: AclType, name: string, perm: Perm): AclEntry {
  return { scope, type, name, perm };
}

export function sameAcl(a: Acl, b: Acl): boolean {
  if (a.length !== b.length) return false;
  const sa = sortEntries(a);
  const sb = sortEntries(b);
  return sa.every((e, i) => {
    const o = sb[i]!;
    return e.scope === o.scope && e.type === o.type && e.name === o.name && e.perm === o.perm;
  });
}

/** The three base entries of a minimal ACL, built from a mode's rwx bits. */
export function aclFromMode(mode: number): AclEntry[] {
  return [
    entry("access", "user", "", (mode >> 6) & 7),
    entry("access", "group", "", (mode >> 3) & 7),
    entry("access", "other", "", mode & 7),
  ];
}
