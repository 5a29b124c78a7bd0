// System calls that read a child of a held directory fd without opening the child: statx,
// getxattrat (Linux >= 6.13) and getdents64 on the directory itself. Like native.ts they return
// -errno instead of throwing; what the walk may conclude from them is in observe-at.ts.

import koffi from "koffi";
import { AT_SYMLINK_NOFOLLOW, ENODATA, ENOSYS, ERANGE, type Stat } from "./native.ts";

const lib = koffi.load("libc.so.6");
// glibc 2.36 wraps neither call. Its syscall() is assembly that only moves registers, so a fixed
// prototype calls it exactly like the variadic one, without koffi's per-call variadic type list.
const c_getxattrat = lib.func(
  "long syscall(long nr, int dirfd, const char *path, uint32_t atFlags, const char *name, void *args, size_t size)",
);
const c_getdents64 = lib.func("long syscall(long nr, int fd, void *buf, size_t size)");
const c_statx = lib.func("int statx(int dirfd, const char *path, int flags, uint32_t mask, void *buf)");

const SYS_GETXATTRAT = 464;
const SYS_GETDENTS64 = 217;
const AT_NO_AUTOMOUNT = 0x800;

// Type, mode, nlink, uid, gid, ino and ctime; the device comes with every statx.
const STATX_WANTED = 0x1 | 0x2 | 0x4 | 0x8 | 0x10 | 0x80 | 0x100;
// struct statx: mask@0 nlink@16 uid@20 gid@24 mode@28(u16) ino@32 ctime@96(i64 sec, u32 nsec)
// dev_major@136 dev_minor@140, 256 bytes.
const statxBuf = Buffer.alloc(256);

function u64(buf: Buffer, off: number): number {
  return buf.readUInt32LE(off) + buf.readUInt32LE(off + 4) * 0x100000000;
}

/**
 * statx of `name` below `dirfd`, not following a final symlink, as the Stat fstat would give (st_dev
 * encoded as the kernel encodes it for stat); -errno, or -ENOSYS when a field we need is missing.
 */
export function statxAt(dirfd: number, name: string): Stat | number {
  if (c_statx(dirfd, name, AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT, STATX_WANTED, statxBuf) !== 0)
    return -koffi.errno();
  const b = statxBuf;
  if ((b.readUInt32LE(0) & STATX_WANTED) !== STATX_WANTED) return -ENOSYS;
  const major = b.readUInt32LE(136);
  const minor = b.readUInt32LE(140);
  return {
    // new_encode_dev: (minor & 0xff) | (major << 8) | ((minor & ~0xff) << 12), without 32-bit ops.
    dev: (minor % 256) + major * 256 + Math.floor(minor / 256) * 0x100000,
    ino: u64(b, 32),
    nlink: b.readUInt32LE(16),
    mode: b.readUInt16LE(28),
    uid: b.readUInt32LE(20),
    gid: b.readUInt32LE(24),
    ctimeSec: u64(b, 96),
    ctimeNsec: b.readUInt32LE(104),
  };
}

// As in native.ts: the kernel allocates as much as we offer, so offer 1 KiB first.
const smallBuf = Buffer.alloc(1024);
const bigBuf = Buffer.alloc(65536);

/** struct xattr_args { u64 value; u32 size; u32 flags }, one prepared per buffer. */
function argsFor(buf: Buffer): Buffer {
  const args = Buffer.alloc(16);
  args.writeBigUInt64LE(BigInt(koffi.address(buf) as bigint | number), 0);
  args.writeUInt32LE(buf.length, 8);
  return args;
}
const smallArgs = argsFor(smallBuf);
const bigArgs = argsFor(bigBuf);

/**
 * getxattrat(dirfd, name, AT_SYMLINK_NOFOLLOW): the xattr of the child itself (a symlink's own,
 * never its target's) as latin1, "" when absent, or -errno (-ENOSYS before Linux 6.13).
 */
export function getxattrAt(dirfd: number, name: string, attr: string): string | number {
  let buf = smallBuf;
  let n = Number(c_getxattrat(SYS_GETXATTRAT, dirfd, name, AT_SYMLINK_NOFOLLOW, attr, smallArgs, 16));
  if (n < 0 && koffi.errno() === ERANGE) {
    buf = bigBuf;
    n = Number(c_getxattrat(SYS_GETXATTRAT, dirfd, name, AT_SYMLINK_NOFOLLOW, attr, bigArgs, 16));
  }
  if (n >= 0) {
    if (!sameAsLast(buf, n)) lastValue = buf.toString("latin1", 0, n);
    return lastValue;
  }
  const errno = koffi.errno();
  return errno === ENODATA ? "" : -errno;
}

// Files in a tree share a few ACLs: handing out the last value again when the bytes are the same
// saves a string per file, and a caller keying a Map by it finds the hash already computed.
let lastValue = "";

function sameAsLast(buf: Buffer, n: number): boolean {
  if (n !== lastValue.length) return false;
  for (let i = 0; i < n; i++) if (buf[i] !== lastValue.charCodeAt(i)) return false;
  return true;
}

export const DT_UNKNOWN = 0;
export const DT_DIR = 4;
export const DT_REG = 8;
export const DT_LNK = 10;

export interface Listing {
  /** Names in byte order (as scandir sorted them), "." and ".." left out. */
  names: string[];
  /** d_type of each name, DT_UNKNOWN where the filesystem does not say. */
  types: number[];
}

const direntBuf = Buffer.alloc(32768);

/**
 * Every entry of the directory `fd` is open on, read with getdents64 from the fd itself (no path,
 * no second open), or -errno. Reads from the fd's current offset: call it once per fresh fd.
 * No object per entry: the walk lists every directory once, and most hold entries of one type.
 */
export function listDir(fd: number): Listing | number {
  const names: string[] = [];
  const types: number[] = [];
  let wide = false;
  let mixed = false;
  for (;;) {
    const n = Number(c_getdents64(SYS_GETDENTS64, fd, direntBuf, direntBuf.length));
    if (n < 0) return -koffi.errno();
    if (n === 0) break;
    // struct linux_dirent64: ino@0 (u64), off@8 (s64), reclen@16 (u16), type@18 (u8), name@19 (NUL-terminated).
    for (let off = 0; off < n; off += direntBuf.readUInt16LE(off + 16)) {
      const start = off + 19;
      let end = start;
      let ascii = true;
      for (let c = direntBuf[end]!; c !== 0; c = direntBuf[++end]!) if (c >= 0x80) ascii = false;
      const name = ascii ? direntBuf.toString("latin1", start, end) : direntBuf.toString("utf8", start, end);
      if (name === "." || name === "..") continue;
      if (!ascii) wide = true;
      const type = direntBuf[off + 18]!;
      if (types.length > 0 && type !== types[0]) mixed = true;
      names.push(name);
      types.push(type);
    }
  }
  // The default sort compares UTF-16 code units, which is byte order for ASCII names.
  if (!mixed) {
    names.sort(wide ? byCodePoint : undefined);
    return { names, types };
  }
  const order = names.map((_, i) => i);
  order.sort(wide ? (a, b) => byCodePoint(names[a]!, names[b]!) : (a, b) => byCodeUnit(names[a]!, names[b]!));
  return { names: order.map((i) => names[i]!), types: order.map((i) => types[i]!) };
}

const byCodeUnit = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);

// UTF-8 byte order is code point order; UTF-16 code units put U+10000.. before U+E000..U+FFFF.
function byCodePoint(x: string, y: string): number {
  for (let i = 0, j = 0; i < x.length && j < y.length; ) {
    const p = x.codePointAt(i)!;
    const q = y.codePointAt(j)!;
    if (p !== q) return p - q;
    i += p > 0xffff ? 2 : 1;
    j += q > 0xffff ? 2 : 1;
  }
  return x.length - y.length;
}
