// The one place where permission bits become ACL entries: for directories (with execute, plus default
// entries) and for files (execute per target). Actions become bits by the config's table, whose
// defaults (Sentry's HDFS sync) sit beside `Action` in policy/model.ts.

import { type AclEntry, entry, type Perm, X } from "../acl/entry.ts";
import type { Principal } from "../policy/model.ts";

export interface EntryShape {
  /** Execute on files too (HDFS mirrors Sentry's r-x/-wx/rwx; POSIX gives none). */
  fileExecute: boolean;
  /** Directories also carry the entries as default: entries, so new files inherit at once. */
  defaultAcls: boolean;
}

export interface PrincipalPerm {
  principal: Principal;
  /** Read/write bits only; execute is decided by the node type. */
  perm: Perm;
  /** Bits denied: a user with any keeps a named entry even at `---`, which wins over group entries. */
  denied?: Perm;
}

/** Whether the principal gets an entry: granted something, or a user denied something. */
function hasEntry(p: PrincipalPerm): boolean {
  return p.perm !== 0 || (p.principal.kind === "user" && (p.denied ?? 0) !== 0);
}

/** Entries a directory of this object carries: access entries with execute, and the same as defaults. */
export function directoryEntries(perms: readonly PrincipalPerm[], shape: EntryShape): AclEntry[] {
  const out: AclEntry[] = [];
  for (const p of perms) {
    if (!hasEntry(p)) continue;
    const { principal, perm } = p;
    const bits = perm === 0 ? 0 : perm | X;
    out.push(entry("access", principal.kind, principal.name, bits));
    if (shape.defaultAcls) out.push(entry("default", principal.kind, principal.name, bits));
  }
  return out;
}

/** Entries a regular file of this object carries. */
export function fileEntries(perms: readonly PrincipalPerm[], shape: EntryShape): AclEntry[] {
  const out: AclEntry[] = [];
  for (const p of perms) {
    if (!hasEntry(p)) continue;
    const { principal, perm } = p;
    out.push(
      entry("access", principal.kind, principal.name, shape.fileExecute && perm !== 0 ? perm | X : perm),
    );
  }
  return out;
}

export function principalKey(p: Principal): string {
  return `${p.kind}:${p.name}`;
}
