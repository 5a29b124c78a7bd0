// The race-safe floor of the apply row in Node: bench/floor.c's walk and six system calls per path,
// made through grantsync's own koffi bindings (dist/targets/posix), with no journal, no policy and
// no promise. What the C floor costs plus what calling the kernel from JavaScript costs per call:
// the least a single-threaded Node process walking through held fds can take.
//
// Usage: node bench/floor-node.mjs GID DIR...   Prints nothing; exits 1 on the first failure.

import { DT_DIR, DT_REG, DT_UNKNOWN, listDir } from "../dist/targets/posix/at.js";
import * as n from "../dist/targets/posix/native.js";

const ACCESS = "system.posix_acl_access";
const DEFAULT = "system.posix_acl_default";
const [USER_OBJ, USER, GROUP_OBJ, GROUP, MASK, OTHER] = [1, 2, 4, 8, 0x10, 0x20];
const NO_ID = 0xffffffff;
const FILE_FLAGS = n.O_RDONLY | n.O_NOFOLLOW | n.O_NONBLOCK | n.O_NOCTTY | n.O_CLOEXEC;
const DIR_FLAGS = n.O_RDONLY | n.O_DIRECTORY | n.O_NOFOLLOW | n.O_CLOEXEC;

const gid = Number(process.argv[2]);
let rootDev = 0;

function die(what, name) {
  process.stderr.write(`${what} failed at ${name}\n`);
  process.exit(1);
}

/** Entries [tag, perm, id] of an ACL xattr (latin1), or the base entries of `mode` when there is none. */
function decode(bytes, mode) {
  if (bytes === "") {
    return [
      [USER_OBJ, (mode >> 6) & 7, NO_ID],
      [GROUP_OBJ, (mode >> 3) & 7, NO_ID],
      [OTHER, mode & 7, NO_ID],
    ];
  }
  const b = Buffer.from(bytes, "latin1");
  const out = [];
  for (let off = 4; off + 8 <= b.length; off += 8)
    out.push([b.readUInt16LE(off), b.readUInt16LE(off + 2), b.readUInt32LE(off + 4)]);
  return out;
}

/** Adds (or sets) group:gid:perm in tag/id order and recalculates the mask, as setfacl -m does. */
function merge(e, perm) {
  let at = e.length;
  for (let i = 0; i < e.length; i++) {
    const [tag, , id] = e[i];
    if (tag === GROUP && id === gid) {
      e[i][1] = perm;
      at = -1;
      break;
    }
    if (tag > GROUP || (tag === GROUP && id > gid)) {
      at = i;
      break;
    }
  }
  if (at >= 0) e.splice(at, 0, [GROUP, perm, gid]);
  let groupClass = 0;
  let mask = -1;
  e.forEach(([tag, p], i) => {
    if (tag === USER || tag === GROUP || tag === GROUP_OBJ) groupClass |= p;
    if (tag === MASK) mask = i;
  });
  if (mask >= 0) e[mask][1] = groupClass;
  else e.splice(e.length - 1, 0, [MASK, groupClass, NO_ID]);
  return e;
}

function encode(e) {
  const b = Buffer.alloc(4 + 8 * e.length);
  b.writeUInt32LE(2, 0);
  e.forEach(([tag, perm, id], i) => {
    b.writeUInt16LE(tag, 4 + 8 * i);
    b.writeUInt16LE(perm, 6 + 8 * i);
    b.writeUInt32LE(id, 8 + 8 * i);
  });
  return b;
}

// Paths share a few ACLs: each (bytes, mode, perm) is merged and encoded once, as grantsync does.
const merged = new Map();
function mergedBytes(bytes, mode, perm) {
  const key = `${perm}:${bytes === "" ? mode & 0o777 : bytes}`;
  let out = merged.get(key);
  if (out === undefined) {
    out = encode(merge(decode(bytes, mode), perm));
    merged.set(key, out);
  }
  return out;
}

function visit(dirfd, name, hint) {
  const fd = n.openat(dirfd, name, hint === "dir" ? DIR_FLAGS : FILE_FLAGS);
  if (fd < 0) die("openat", name);
  const st = n.fstat(fd);
  if (typeof st === "number") die("fstat", name);
  const dir = (st.mode & n.S_IFMT) === n.S_IFDIR;
  if ((!dir && ((st.mode & n.S_IFMT) !== n.S_IFREG || st.nlink !== 1)) || st.dev !== rootDev) {
    n.close(fd);
    return;
  }
  const access = n.fgetxattr(fd, ACCESS);
  const dflt = dir ? n.fgetxattr(fd, DEFAULT) : "";
  if (typeof access === "number" || typeof dflt === "number") die("fgetxattr", name);
  const again = n.fstat(fd);
  if (typeof again === "number" || again.ctimeSec !== st.ctimeSec || again.ctimeNsec !== st.ctimeNsec)
    die("changed since read", name);
  const perm = dir || st.mode & 0o111 ? 5 : 4;
  if (n.fsetxattr(fd, ACCESS, mergedBytes(access, st.mode, perm)) !== 0) die("fsetxattr", name);
  if (dir) {
    // A directory without a default ACL gets one from its access ACL's base entries, as setfacl does.
    if (n.fsetxattr(fd, DEFAULT, mergedBytes(dflt, st.mode, 5)) !== 0) die("fsetxattr", name);
    const listing = listDir(fd);
    if (typeof listing === "number") die("getdents64", name);
    listing.names.forEach((child, i) => {
      const t = listing.types[i];
      if (t === DT_DIR || t === DT_REG || t === DT_UNKNOWN) visit(fd, child, t === DT_DIR ? "dir" : "file");
    });
  }
  n.close(fd);
}

for (const root of process.argv.slice(3)) {
  const st = n.lstatAt(n.AT_FDCWD, root);
  if (typeof st === "number") die("lstat", root);
  rootDev = st.dev;
  visit(n.AT_FDCWD, root, "dir");
}
