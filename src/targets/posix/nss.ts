// The host's name service through libc's reentrant lookups (files, LDAP, SSSD... as nsswitch.conf
// says): user and group names to ids and back, and a user's groups.

import koffi from "koffi";
import { ENOENT, EPERM, ERANGE, NativeError } from "./native.ts";

const lib = koffi.load("libc.so.6");
const c_getpwnam_r = lib.func(
  "int getpwnam_r(const char *name, void *pwd, void *buf, size_t len, void *result)",
);
const c_getgrnam_r = lib.func(
  "int getgrnam_r(const char *name, void *grp, void *buf, size_t len, void *result)",
);
const c_getpwuid_r = lib.func("int getpwuid_r(uint32_t uid, void *pwd, void *buf, size_t len, void *result)");
const c_getgrgid_r = lib.func("int getgrgid_r(uint32_t gid, void *grp, void *buf, size_t len, void *result)");
const c_getgrouplist = lib.func(
  "int getgrouplist(const char *user, uint32_t group, void *groups, void *ngroups)",
);

// struct passwd: name@0 passwd@8 uid@16 gid@20 ...; struct group: name@0 passwd@8 gid@16 ...
const PW_UID = 16;
const PW_GID = 20;
const GR_GID = 16;
const entBuf = Buffer.alloc(64);
const resultBuf = Buffer.alloc(8);
let strBuf = Buffer.alloc(4096);
const MAX_STR_BUF = 1 << 20;

// The man page lists these as "not found" on some NSS backends; glibc itself returns 0 + NULL.
const NOT_FOUND = new Set([0, ENOENT, 3 /* ESRCH */, 9 /* EBADF */, EPERM]);

type Lookup = (key: never, ent: Buffer, buf: Buffer, len: number, result: Buffer) => number;

/** Runs one *_r lookup, growing the buffer on ERANGE; true when found (entBuf then holds it). */
function nssLookup(fn: Lookup, key: string | number, what: string): boolean {
  for (;;) {
    const rc = (fn as unknown as (...a: unknown[]) => number)(key, entBuf, strBuf, strBuf.length, resultBuf);
    if (rc === ERANGE && strBuf.length < MAX_STR_BUF) {
      strBuf = Buffer.alloc(strBuf.length * 4);
      continue;
    }
    const found = resultBuf.readUInt32LE(0) !== 0 || resultBuf.readUInt32LE(4) !== 0;
    if (found) return true;
    if (NOT_FOUND.has(rc)) return false;
    throw new NativeError(what, rc, String(key));
  }
}

// A NUL would silently truncate the C string and look up a different name.
export function uidOf(name: string): number | null {
  if (name === "" || name.includes("\0")) return null;
  return nssLookup(c_getpwnam_r as never, name, "getpwnam_r") ? entBuf.readUInt32LE(PW_UID) : null;
}

export function gidOf(name: string): number | null {
  if (name === "" || name.includes("\0")) return null;
  return nssLookup(c_getgrnam_r as never, name, "getgrnam_r") ? entBuf.readUInt32LE(GR_GID) : null;
}

export function userNameOf(uid: number): string | null {
  return nssLookup(c_getpwuid_r as never, uid, "getpwuid_r") ? koffi.decode(entBuf, 0, "char *") : null;
}

export function groupNameOf(gid: number): string | null {
  return nssLookup(c_getgrgid_r as never, gid, "getgrgid_r") ? koffi.decode(entBuf, 0, "char *") : null;
}

/** Every gid the name service puts `name` in (its primary group first), or null for an unknown user. */
export function groupIdsOf(name: string): number[] | null {
  if (name === "" || name.includes("\0")) return null;
  if (!nssLookup(c_getpwnam_r as never, name, "getpwnam_r")) return null;
  const primary = entBuf.readUInt32LE(PW_GID);
  const count = Buffer.alloc(4);
  for (let size = 64; ; size *= 4) {
    const groups = Buffer.alloc(size * 4);
    count.writeInt32LE(size, 0);
    // -1 means the buffer was too small; ngroups then holds the size needed.
    if ((c_getgrouplist(name, primary, groups, count) as number) >= 0) {
      return Array.from({ length: count.readInt32LE(0) }, (_, i) => groups.readUInt32LE(i * 4));
    }
    size = Math.max(size, count.readInt32LE(0));
  }
}
