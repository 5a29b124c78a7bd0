// User and group name <-> id resolution through the host's name service (files, LDAP, SSSD...),
// cached both ways, misses included, because a miss costs a full NSS probe (~170 µs).
//
// Names are only ever names: "1234" resolves only if NSS knows a user/group called "1234", never
// as uid 1234 (a group name may look like a number). Reading goes the other way: an id with no
// name is shown as its decimal string, and PosixTarget maps such a string back to that id only for
// entries already present on the node it read them from.

import { gidOf, groupNameOf, uidOf, userNameOf } from "./nss.ts";

export type IdKind = "user" | "group";

export class NameResolver {
  private readonly byName = {
    user: new Map<string, number | null>(),
    group: new Map<string, number | null>(),
  };
  private readonly byId = { user: new Map<number, string | null>(), group: new Map<number, string | null>() };

  /** The uid/gid of a name, or null when the name service does not know it. */
  id(kind: IdKind, name: string): number | null {
    const cache = this.byName[kind];
    let id = cache.get(name);
    if (id === undefined) {
      id = kind === "user" ? uidOf(name) : gidOf(name);
      cache.set(name, id);
    }
    return id;
  }

  /** The name of an id, or null when it has none. */
  nameOf(kind: IdKind, id: number): string | null {
    const cache = this.byId[kind];
    let name = cache.get(id);
    if (name === undefined) {
      name = kind === "user" ? userNameOf(id) : groupNameOf(id);
      cache.set(id, name);
    }
    return name;
  }

  /** What an ACL entry with this id is shown as: its name, or its decimal id when it has none. */
  display(kind: IdKind, id: number): string {
    return this.nameOf(kind, id) ?? String(id);
  }

  /** Forgets everything, so users and groups created or removed since are seen. */
  clear(): void {
    for (const m of [this.byName.user, this.byName.group, this.byId.user, this.byId.group]) m.clear();
  }
}
