// The inodes the kernel checks to reach a path: `/` and every component below it, each opened
// with openat(O_NOFOLLOW) from its parent's fd and read (owner, group, access ACL), never written.
// Unlike the walk this crosses mount points and reads above the roots: it only looks.

import type { InodeView } from "../../acl/access.ts";
import { GsError } from "../../errors.ts";
import type { NodeType } from "../target.ts";
import type { IdKind } from "./names.ts";
import { AT_FDCWD, close, fstat, NativeError, openat, type Stat } from "./native.ts";
import { groupIdsOf } from "./nss.ts";
import { aclOf, type NodeContext, observe } from "./observe.ts";
import { DIR_FLAGS, openChild, type Refused } from "./open.ts";

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

function unreadable(path: string, here: string, r: Refused): GsError {
  if (r.reason === "symlink" || r.reason === "special-file")
    return refuse(path, `${here} is a symlink or special file`);
  const why = r.detail ?? (r.reason === "missing" ? "ENOENT" : r.reason);
  return new GsError("GS_TARGET_IO", `${here}: ${why}`, { location: here });
}

/**
 * `/` first, `path` last. A symlink or special file on the way is refused rather than followed;
 * mount points and files with several links are read like any other (nothing here is written).
 */
export function readChain(ctx: NodeContext, path: string): InodeView[] {
  if (path.includes("\0")) throw refuse(JSON.stringify(path), "it contains a NUL");
  let fd = openat(AT_FDCWD, "/", DIR_FLAGS);
  if (fd < 0) throw new NativeError("openat /", -fd, "/");
  try {
    const st = fstat(fd);
    if (typeof st === "number") throw new NativeError("fstat", -st, "/");
    const chain: InodeView[] = [view(ctx, fd, st, "dir", "/")];
    let here = "";
    for (const name of path.split("/").filter((c) => c !== "")) {
      if (chain[chain.length - 1]!.type !== "dir") throw refuse(path, `${here} is not a directory`);
      here = `${here}/${name}`;
      const child = openChild(fd, name, { dev: -1, readOnly: true });
      if ("reason" in child) throw unreadable(path, here, child);
      close(fd);
      fd = child.fd;
      chain.push(view(ctx, fd, child.st, child.type, here));
    }
    return chain;
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
