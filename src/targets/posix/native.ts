// koffi bindings to the few libc calls the POSIX target reads and writes with (openat, fstat, f*xattr).
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
export const ENOSYS = 38;
export const EINVAL = 22;

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
  /** Status change time (seconds, nanoseconds): any ACL or mode change moves it. */
  ctimeSec: number;
  ctimeNsec: number;
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
    ctimeSec: u64(statBuf, 104),
    ctimeNsec: statBuf.readUInt32LE(112),
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
