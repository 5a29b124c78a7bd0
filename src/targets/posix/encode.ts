// Turning the Acl a node should carry into the xattr bytes the kernel takes: entries to raw
// (tag, perm, id) with ids from the name service, checked, encoded once per shared `next` ACL.

import type { Acl, AclEntry } from "../../acl/entry.ts";
import { GsError } from "../../errors.ts";
import type { IdKind } from "./names.ts";
import { decodeScope, KIND_OF_TAG, type NodeContext, type Observed } from "./observe.ts";
import {
  ACL_GROUP,
  ACL_GROUP_OBJ,
  ACL_MASK,
  ACL_OTHER,
  ACL_USER,
  ACL_USER_OBJ,
  encodeAcl,
  hasId,
  type RawAclEntry,
} from "./xattr-codec.ts";

/** Ids on the node that have no name, as `user:1234`: the decimal names we showed for them. */
function orphanIds(obs: Observed, ctx: NodeContext, path: string): Set<string> {
  const out = new Set<string>();
  for (const bytes of [obs.access, obs.dflt]) {
    if (bytes === "") continue;
    for (const e of decodeScope(bytes, path)) {
      const kind = KIND_OF_TAG[e.tag];
      if (kind && ctx.names.nameOf(kind, e.id) === null) out.add(`${kind}:${e.id}`);
    }
  }
  return out;
}

function toRaw(
  entries: readonly AclEntry[],
  obs: Observed,
  ctx: NodeContext,
  path: string,
  onOrphan?: () => void,
): RawAclEntry[] {
  let orphans: Set<string> | undefined;
  const resolve = (kind: IdKind, name: string): number => {
    const id = ctx.names.id(kind, name);
    if (id !== null) return id;
    onOrphan?.();
    orphans ??= orphanIds(obs, ctx, path);
    if (/^\d+$/.test(name) && orphans.has(`${kind}:${name}`)) return Number(name);
    throw new GsError("GS_PRINCIPAL_UNKNOWN", `unknown ${kind} "${name}"`, { location: path, input: name });
  };
  const raw = entries.map((e): RawAclEntry => {
    if (e.type === "mask") return { tag: ACL_MASK, perm: e.perm, id: 0 };
    if (e.type === "other") return { tag: ACL_OTHER, perm: e.perm, id: 0 };
    if (e.name === "") return { tag: e.type === "user" ? ACL_USER_OBJ : ACL_GROUP_OBJ, perm: e.perm, id: 0 };
    return { tag: e.type === "user" ? ACL_USER : ACL_GROUP, perm: e.perm, id: resolve(e.type, e.name) };
  });
  const count = (tag: number) => raw.filter((e) => e.tag === tag).length;
  const scope = entries[0]?.scope ?? "access";
  for (const [tag, what] of [
    [ACL_USER_OBJ, "user::"],
    [ACL_GROUP_OBJ, "group::"],
    [ACL_OTHER, "other::"],
  ] as const) {
    if (count(tag) !== 1) throw specError(`the ${scope} ACL needs exactly one ${what} entry`, path);
  }
  if (count(ACL_MASK) === 0 && raw.some((e) => hasId(e.tag))) {
    throw specError(`the ${scope} ACL has named entries but no mask`, path);
  }
  return raw;
}

export function specError(message: string, path: string): GsError {
  return new GsError("GS_ACL_SPEC", message, { location: path });
}

export interface Encoded {
  hasDefault: boolean;
  accessBytes: Buffer;
  dfltBytes: Buffer | null;
  /** The rwx bits of the mode the access ACL sets. */
  bits: number;
  /** The xattrs as the kernel will hold them (latin1, as read): a 3-entry access ACL is mode bits only. */
  accessHeld: string;
  dfltHeld: string;
}

const ENCODED = new WeakMap<Acl, Encoded>();

/**
 * The xattr bytes for `next`. The engine hands many paths the same frozen `next`, so the encoding
 * is shared, unless an orphan id (a number with no name, valid only on this node) was involved.
 */
export function encodeFor(next: Acl, obs: Observed, ctx: NodeContext, path: string): Encoded {
  const cached = ENCODED.get(next);
  if (cached) return cached;
  const access = next.filter((e) => e.scope === "access");
  const dflt = next.filter((e) => e.scope === "default");
  let nodeSpecific = false;
  const onOrphan = () => {
    nodeSpecific = true;
  };
  const accessRaw = toRaw(access, obs, ctx, path, onOrphan);
  const accessBytes = encodeAcl(accessRaw, path);
  const dfltBytes = dflt.length > 0 ? encodeAcl(toRaw(dflt, obs, ctx, path, onOrphan), path) : null;
  const encoded: Encoded = {
    hasDefault: dflt.length > 0,
    accessBytes,
    dfltBytes,
    bits: modeBits(accessRaw),
    accessHeld: accessRaw.length === 3 ? "" : accessBytes.toString("latin1"),
    dfltHeld: dfltBytes ? dfltBytes.toString("latin1") : "",
  };
  if (!nodeSpecific && Object.isFrozen(next)) ENCODED.set(next, encoded);
  return encoded;
}

/** The rwx mode bits an access ACL sets: the mask stands in for the group bits when present. */
function modeBits(raw: readonly RawAclEntry[]): number {
  const perm = (tag: number) => raw.find((e) => e.tag === tag)?.perm;
  return (perm(ACL_USER_OBJ)! << 6) | ((perm(ACL_MASK) ?? perm(ACL_GROUP_OBJ)!) << 3) | perm(ACL_OTHER)!;
}
