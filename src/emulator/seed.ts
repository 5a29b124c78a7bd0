// `--seed FILE`: the tree an emulator starts with, one inode per line, and the small parsers for
// `--group-mapping` and `--proxy-user`. Format (docs/webhdfs-emulator.md):
//   dir|file  PATH  OWNER:GROUP  MODE  [ACL-SPEC]     # comment; PATH is percent-decoded

import type { ProxyUsers } from "./auth.ts";
import type { EmulatorNamespace } from "./namespace.ts";
import { RemoteError } from "./remote-error.ts";

export interface SeedEntry {
  /** `file:line`, for messages. */
  readonly at: string;
  readonly kind: "dir" | "file";
  readonly path: string;
  readonly owner: string;
  readonly group: string;
  /** Octal mode, sticky bit allowed (0..1777). */
  readonly mode: number;
  /** Entries added as MODIFYACLENTRIES would add them; the NameNode computes the masks. */
  readonly acl?: string;
}

export class SeedError extends Error {
  constructor(at: string, message: string) {
    super(`${at}: ${message}`);
    this.name = "SeedError";
  }
}

const NAME = /^[A-Za-z_][A-Za-z0-9._-]*[$]?$/;

export function parseSeed(text: string, source = "seed"): SeedEntry[] {
  const entries: SeedEntry[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const at = `${source}:${i + 1}`;
    const line = raw.replace(/(^|\s)#.*$/, "").trim();
    if (line === "") return;
    const [kind, rawPath, ownership, modeText, acl, ...extra] = line.split(/\s+/);
    if (kind !== "dir" && kind !== "file") throw new SeedError(at, `expected dir or file, got "${kind}"`);
    if (rawPath === undefined || ownership === undefined || modeText === undefined || extra.length > 0) {
      throw new SeedError(at, "expected: dir|file PATH OWNER:GROUP MODE [ACL-SPEC]");
    }
    let path: string;
    try {
      path = decodeURIComponent(rawPath);
    } catch {
      throw new SeedError(at, `bad percent-encoding in ${rawPath}`);
    }
    if (!path.startsWith("/")) throw new SeedError(at, `path must be absolute: ${path}`);
    const [owner, group, ...more] = ownership.split(":");
    if (!owner || !group || more.length > 0 || !NAME.test(owner) || !NAME.test(group)) {
      throw new SeedError(at, `expected OWNER:GROUP, got "${ownership}"`);
    }
    if (!/^[0-7]{3,4}$/.test(modeText) || Number.parseInt(modeText, 8) > 0o1777) {
      throw new SeedError(at, `expected an octal mode such as 750 or 1777, got "${modeText}"`);
    }
    const mode = Number.parseInt(modeText, 8);
    entries.push({ at, kind, path, owner, group, mode, ...(acl ? { acl } : {}) });
  });
  return entries;
}

/** Builds the tree as the superuser; missing parents become the superuser's 755 directories. */
export function applySeed(ns: EmulatorNamespace, entries: readonly SeedEntry[]): void {
  for (const e of entries) {
    try {
      if (e.kind === "dir") ns.mkdirs(e.path, { permission: 0o755 });
      else ns.create(e.path, { permission: 0o644, overwrite: true });
      ns.setOwner(e.path, e.owner, e.group);
      if (e.acl) ns.modifyAclEntries(e.path, e.acl);
      // Last, as chmod after setfacl: with an ACL the group digit becomes the mask.
      ns.setPermission(e.path, e.mode);
    } catch (err) {
      if (err instanceof RemoteError) throw new SeedError(e.at, `${err.exception}: ${err.message}`);
      throw err;
    }
  }
}

/** `alice=analysts,staff;bob=eng`: user → groups, as a static group mapping. */
export function parseGroupMapping(text: string): Record<string, string[]> {
  const users: Record<string, string[]> = {};
  for (const part of text.split(";").map((s) => s.trim())) {
    if (part === "") continue;
    const [user, groups] = splitRule(part, "--group-mapping");
    users[user] = groups;
  }
  return users;
}

/** `hue=analysts,staff` or `hue=*`: whom `hue` may impersonate (hadoop.proxyuser.hue.groups). */
export function parseProxyUser(text: string, previous: ProxyUsers = {}): ProxyUsers {
  const [user, groups] = splitRule(text.trim(), "--proxy-user");
  return { ...previous, [user]: groups };
}

function splitRule(rule: string, option: string): [string, string[]] {
  const eq = rule.indexOf("=");
  const user = rule.slice(0, eq);
  const groups = rule
    .slice(eq + 1)
    .split(",")
    .map((g) => g.trim())
    .filter((g) => g !== "");
  if (eq <= 0 || !NAME.test(user) || groups.length === 0) {
    throw new Error(`${option}: expected NAME=GROUP[,GROUP…], got "${rule}"`);
  }
  return [user, groups];
}
