// koffi bindings to the few libc calls the POSIX target needs (openat, fstat, f*xattr, NSS lookups).
// Calls are synchronous and return -errno instead of throwing, so hot paths pay for no exceptions.

import { constants as osConstants } from "node:os";
import koffi from "koffi";
import { type ErrorCode, GsError } from "../../errors.ts";

export const O_RDONLY = 0;
export const O_NOCTTY = 0o400;
export const O_NONBLOCK = 0o4000;
export const O_DIRECTORY = 0o200000;
export const O_NOFOLLOW = 0o400000;
export const O_CLOEXEC = 0o2000000;
export const AT_FDCWD = -100;
export const AT_SYMLINK_NOFOLLOW = 0x100;

export const S_IFMT = 0o170000;
export const S_IFDIR = 0o040000;
export const S_IFREG = 0o100000;
export const S_IFLNK = 0o120000;

export const ENOENT = 2;
export const EPERM = 1;
export const EACCES = 13;
export const ENOTDIR = 20;
export const ERANGE = 34;
export const ELOOP = 40;
export const ENODATA = 61;
export const ENXIO = 6;
export const ENOSPC = 28;
export const E2BIG = 7;
export const EOPNOTSUPP = 95;

const ERRNO_NAMES = new Map<number, string>(
  Object.entries(osConstants.errno).map(([name, n]) => [n, name] as [number, string]),
);

export function errnoName(errno: number): string {
  return ERRNO_NAMES.get(errno) ?? `errno ${errno}`;
}

/** A failed libc call: GS_TARGET_IO unless the caller picks a code, with the errno name kept. */
export class NativeError extends GsError {
  readonly errno: string;
  readonly syscall: string;

  constructor(syscall: string, errno: number, path: string, code: ErrorCode = "GS_TARGET_IO") {
    const name = errnoName(errno);
    super(code, `${syscall} failed: ${name}`, { location: path, input: { syscall, errno: name } });
    this.errno = name;
    this.syscall = syscall;
  }
}

const lib = koffi.load("libc.so.6");
// openat is variadic; the mode argument is only read with O_CREAT/O_TMPFILE, which we never pass.
const c_openat = lib.func("int openat(int dirfd, const char *path, int flags)");
const c_close = lib.func("int close(int fd)");
const c_fstat = lib.func("int fstat(int fd, void *buf)");
const c_fstatat = lib.func("int fstatat(int dirfd, const char *path, void *buf, int flags)");
const c_fgetxattr = lib.func("long fgetxattr(int fd, const char *name, void *value, size_t size)");
const c_fsetxattr = lib.func(
  "int fsetxattr(int fd, const char *name, const void *value, size_t size, int flags)",
);
const c_fremovexattr = lib.func("int fremovexattr(int fd, const char *name)");
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

/** Returns an fd, or -errno. */
export function openat(dirfd: number, name: string, flags: number): number {
  const fd = c_openat(dirfd, name, flags) as number;
  return fd >= 0 ? fd : -koffi.errno();
}

export function close(fd: number): void {
  c_close(fd);
}

export interface Stat {
  dev: number;
  ino: number;
  nlink: number;
  mode: number;
  uid: number;
  gid: number;
  /** Status change time, as `sec.nsec`: any ACL or mode change moves it. */
  ctime: string;
}

// struct stat on x86_64 glibc: dev@0 ino@8 nlink@16 (all u64), mode@24 uid@28 gid@32 (u32),
// st_ctim@104 (i64 sec, i64 nsec), 144 bytes.
const statBuf = Buffer.alloc(144);

function u64(buf: Buffer, off: number): number {
  return buf.readUInt32LE(off) + buf.readUInt32LE(off + 4) * 0x100000000;
}

function readStat(): Stat {
  return {
    dev: u64(statBuf, 0),
    ino: u64(statBuf, 8),
    nlink: u64(statBuf, 16),
    mode: statBuf.readUInt32LE(24),
    uid: statBuf.readUInt32LE(28),
    gid: statBuf.readUInt32LE(32),
    ctime: `${u64(statBuf, 104)}.${u64(statBuf, 112)}`,
  };
}

/** fstat, or -errno. */
export function fstat(fd: number): Stat | number {
  return c_fstat(fd, statBuf) === 0 ? readStat() : -koffi.errno();
}

/** fstatat without following a final symlink, or -errno. */
export function lstatAt(dirfd: number, name: string): Stat | number {
  return c_fstatat(dirfd, name, statBuf, AT_SYMLINK_NOFOLLOW) === 0 ? readStat() : -koffi.errno();
}

// The kernel allocates and zeroes a buffer as large as the size we pass on every call, so a 64 KiB
// buffer costs microseconds per file; start small and retry with XATTR_SIZE_MAX on ERANGE.
const smallXattrBuf = Buffer.alloc(1024);
const bigXattrBuf = Buffer.alloc(65536);

/**
 * The xattr's bytes as a latin1 string (one byte per char: cheap to compare and to use as a
 * cache key), "" when absent (ENODATA), or -errno.
 */
export function fgetxattr(fd: number, name: string): string | number {
  let buf = smallXattrBuf;
  let n = Number(c_fgetxattr(fd, name, buf, buf.length));
  if (n < 0 && koffi.errno() === ERANGE) {
    buf = bigXattrBuf;
    n = Number(c_fgetxattr(fd, name, buf, buf.length));
  }
  if (n >= 0) return buf.toString("latin1", 0, n);
  const errno = koffi.errno();
  return errno === ENODATA ? "" : -errno;
}

/** 0 or -errno. */
export function fsetxattr(fd: number, name: string, value: Buffer): number {
  return c_fsetxattr(fd, name, value, value.length, 0) === 0 ? 0 : -koffi.errno();
}

/** 0 or -errno. */
export function fremovexattr(fd: number, name: string): number {
  return c_fremovexattr(fd, name) === 0 ? 0 : -koffi.errno();
}

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
