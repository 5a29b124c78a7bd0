// The inodes the kernel checks to reach a path: `/` and every component below it, each opened
// with openat(O_NOFOLLOW) from its parent's fd and read (owner, group, access ACL), never written.
// Unlike the walk this crosses mount points and reads above the roots: it only looks.

import type { InodeView } from "../../acl/access.ts";
import { GsError } from "../../errors.ts";
import type { NodeType } from "../target.ts";
import type { IdKind } from "./names.ts";
import {
  AT_FDCWD,
  close,
  errnoName,
  fstat,
  groupIdsOf,
  lstatAt,
  NativeError,
  O_CLOEXEC,
  O_DIRECTORY,
  O_NOCTTY,
  O_NOFOLLOW,
  O_NONBLOCK,
  O_RDONLY,
  openat,
  S_IFDIR,
  S_IFMT,
  S_IFREG,
  type Stat,
} from "./native.ts";
import { aclOf, type NodeContext, observe } from "./observe.ts";

const DIR_FLAGS = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
const FILE_FLAGS = O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC;

function typeOf(st: Stat): NodeType | undefined {
  const fmt = st.mode & S_IFMT;
  return fmt === S_IFDIR ? "dir" : fmt === S_IFREG ? "file" : undefined;
}

function view(ctx: NodeContext, fd: number, st: Stat, type: NodeType, path: string): InodeView {
  const acl = aclOf(observe(fd, st, false, path), type, ctx, path);
  return {
    path,
    type,
    owner: ctx.names.display("user", st.uid),
    group: ctx.names.display("group", st.gid),
    acl,
  };
}

function refuse(path: string, why: string): GsError {
  return new GsError("GS_PATH_UNSAFE", `cannot evaluate access to ${path}: ${why}`, {
    location: path,
    hint: "Ask about the path the symlink points to; access is judged along real directories only.",
  });
}

/** `/` first, `path` last. A symlink or special file on the way is refused rather than followed. */
export function readChain(ctx: NodeContext, path: string): InodeView[] {
  if (path.includes("\0")) throw refuse(JSON.stringify(path), "it contains a NUL");
  const components = path.split("/").filter((c) => c !== "");
  let fd = openat(AT_FDCWD, "/", DIR_FLAGS);
  if (fd < 0) throw new NativeError("openat /", -fd, "/");
  const chain: InodeView[] = [];
  let here = "";
  try {
    for (let i = 0; ; i++) {
      const st = fstat(fd);
      if (typeof st === "number") throw new NativeError("fstat", -st, here || "/");
      // Checked again on the fd: the name may have been swapped since lstat.
      const type = typeOf(st);
      if (type === undefined) throw refuse(path, `${here} is a symlink or special file`);
      chain.push(view(ctx, fd, st, type, here || "/"));
      const name = components[i];
      if (name === undefined) return chain;
      if (chain[chain.length - 1]!.type !== "dir") throw refuse(path, `${here} is not a directory`);
      here = `${here}/${name}`;
      const lst = lstatAt(fd, name);
      if (typeof lst === "number") {
        throw new GsError("GS_TARGET_IO", `${here}: ${errnoName(-lst)}`, { location: here });
      }
      const seen = typeOf(lst);
      if (seen === undefined) throw refuse(path, `${here} is a symlink or special file`);
      const child = openat(fd, name, seen === "dir" ? DIR_FLAGS : FILE_FLAGS);
      if (child < 0) throw new NativeError("openat", -child, here);
      close(fd);
      fd = child;
    }
  } finally {
    close(fd);
  }
}

/** The name service's view of a user: the name its uid shows as, its groups, and whether it is root. */
export function posixIdentity(
  ctx: NodeContext,
  user: string,
): { user: string; groups: string[]; superuser: boolean } {
  const uid = ctx.names.id("user", user);
  const gids = groupIdsOf(user);
  if (uid === null || gids === null) {
    throw new GsError("GS_PRINCIPAL_UNKNOWN", `unknown user "${user}"`, { input: user });
  }
  const show = (kind: IdKind, id: number) => ctx.names.display(kind, id);
  return {
    user: show("user", uid),
    groups: [...new Set(gids.map((g) => show("group", g)))],
    superuser: uid === 0,
  };
}
