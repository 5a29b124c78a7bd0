// The kernel's byte format of system.posix_acl_access/default: LE u32 version 2, then 8-byte
// entries (u16 tag, u16 perm, u32 id). Encoding is canonical so equal ACLs give equal bytes.

import { GsError } from "../../errors.ts";

export const ACL_USER_OBJ = 0x01;
export const ACL_USER = 0x02;
export const ACL_GROUP_OBJ = 0x04;
export const ACL_GROUP = 0x08;
export const ACL_MASK = 0x10;
export const ACL_OTHER = 0x20;
/** The id the kernel reports for entries that carry none (owner, owning group, mask, other). */
export const ACL_UNDEFINED_ID = 0xffffffff;

const VERSION = 2;
const HEADER = 4;
const ENTRY = 8;
const TAGS = new Set([ACL_USER_OBJ, ACL_USER, ACL_GROUP_OBJ, ACL_GROUP, ACL_MASK, ACL_OTHER]);

export interface RawAclEntry {
  tag: number;
  perm: number;
  /** uid or gid for ACL_USER/ACL_GROUP; ignored (and encoded as ACL_UNDEFINED_ID) otherwise. */
  id: number;
}

export function hasId(tag: number): boolean {
  return tag === ACL_USER || tag === ACL_GROUP;
}

function malformed(why: string, path?: string): GsError {
  return new GsError("GS_TARGET_IO", `malformed POSIX ACL xattr: ${why}`, { location: path });
}

/** Decodes a value as read; entries come back in stored order (the kernel does not sort them). */
export function decodeAcl(value: Uint8Array, path?: string): RawAclEntry[] {
  if (value.length < HEADER || (value.length - HEADER) % ENTRY !== 0) {
    throw malformed(`length ${value.length} is not 4 + 8n`, path);
  }
  const view = new DataView(value.buffer, value.byteOffset, value.byteLength);
  const version = view.getUint32(0, true);
  if (version !== VERSION) throw malformed(`version ${version}`, path);
  const out: RawAclEntry[] = [];
  for (let off = HEADER; off < value.length; off += ENTRY) {
    const tag = view.getUint16(off, true);
    if (!TAGS.has(tag)) throw malformed(`unknown tag 0x${tag.toString(16)}`, path);
    const id = hasId(tag) ? view.getUint32(off + 4, true) : ACL_UNDEFINED_ID;
    out.push({ tag, perm: view.getUint16(off + 2, true) & 7, id });
  }
  return out;
}

/**
 * The rwx mode bits an access ACL's bytes (latin1, as read) stand for: user::, mask:: (group::
 * without one) and other::, which the kernel keeps equal to the mode's. -1 for bytes that are no
 * access ACL. Reads the string in place: the walk calls it for every file it reads by name.
 */
export function modeBitsOf(bytes: string): number {
  const n = bytes.length;
  if (n < HEADER + 3 * ENTRY || (n - HEADER) % ENTRY !== 0) return -1;
  if (
    bytes.charCodeAt(0) !== VERSION ||
    (bytes.charCodeAt(1) | bytes.charCodeAt(2) | bytes.charCodeAt(3)) !== 0
  )
    return -1;
  let user = -1;
  let group = -1;
  let mask = -1;
  let other = -1;
  for (let off = HEADER; off < n; off += ENTRY) {
    const tag = bytes.charCodeAt(off) | (bytes.charCodeAt(off + 1) << 8);
    const perm = bytes.charCodeAt(off + 2) & 7;
    if (tag === ACL_USER_OBJ) user = perm;
    else if (tag === ACL_GROUP_OBJ) group = perm;
    else if (tag === ACL_MASK) mask = perm;
    else if (tag === ACL_OTHER) other = perm;
  }
  const g = mask >= 0 ? mask : group;
  if (user < 0 || g < 0 || other < 0) return -1;
  return (user << 6) | (g << 3) | other;
}

function compareRaw(a: RawAclEntry, b: RawAclEntry): number {
  return a.tag !== b.tag ? a.tag - b.tag : hasId(a.tag) ? a.id - b.id : 0;
}

/**
 * Canonical bytes: sorted by tag then id, unnamed ids as ACL_UNDEFINED_ID. Duplicates are refused
 * rather than merged, because the kernel would store them and the ACL would then be ambiguous.
 */
export function encodeAcl(entries: readonly RawAclEntry[], path?: string): Buffer {
  const sorted = [...entries].sort(compareRaw);
  const buf = Buffer.alloc(HEADER + ENTRY * sorted.length);
  buf.writeUInt32LE(VERSION, 0);
  let off = HEADER;
  let prev: RawAclEntry | undefined;
  for (const e of sorted) {
    if (!TAGS.has(e.tag)) throw specError(`unknown tag 0x${e.tag.toString(16)}`, path);
    if (!Number.isInteger(e.perm) || e.perm < 0 || e.perm > 7) throw specError(`bad perm ${e.perm}`, path);
    const named = hasId(e.tag);
    if (named && (!Number.isInteger(e.id) || e.id < 0 || e.id >= ACL_UNDEFINED_ID)) {
      throw specError(`bad id ${e.id}`, path);
    }
    if (prev && compareRaw(prev, e) === 0) {
      throw specError(`duplicate entry (tag 0x${e.tag.toString(16)}, id ${e.id})`, path);
    }
    buf.writeUInt16LE(e.tag, off);
    buf.writeUInt16LE(e.perm, off + 2);
    buf.writeUInt32LE(named ? e.id : ACL_UNDEFINED_ID, off + 4);
    off += ENTRY;
    prev = e;
  }
  return buf;
}

function specError(why: string, path?: string): GsError {
  return new GsError("GS_ACL_SPEC", `cannot encode ACL: ${why}`, { location: path });
}
