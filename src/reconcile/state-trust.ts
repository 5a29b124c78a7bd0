// The state directory decides which entries grantsync believes are its own, so it must be ours
// alone (as OpenSSH's StrictModes demands of ~/.ssh): owned by the running user, writable by no
// one else, no symlinks, all the way down. Anything else is GS_STATE_UNSAFE before a byte is written.

import { lstatSync, readdirSync, type Stats } from "node:fs";
import { join } from "node:path";
import { GsError } from "../errors.ts";

export function checkStateDir(dir: string, me = process.geteuid?.() ?? 0): void {
  let st: Stats;
  try {
    st = lstatSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return;
    throw new GsError(
      "GS_STATE",
      `cannot inspect the state directory: ${(err as NodeJS.ErrnoException).code}`,
      {
        location: dir,
      },
    );
  }
  check(dir, st, me);
  if (!st.isDirectory()) return;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const child = lstatSync(path);
    check(path, child, me);
    if (child.isDirectory())
      for (const inner of readdirSync(path)) check(join(path, inner), lstatSync(join(path, inner)), me);
  }
}

function check(path: string, st: Stats, me: number): void {
  const why = st.isSymbolicLink()
    ? "it is a symlink"
    : !st.isDirectory() && !st.isFile()
      ? "it is neither a file nor a directory"
      : st.uid !== me
        ? `it is owned by uid ${st.uid}, not by the running user (uid ${me})`
        : st.mode & 0o022
          ? `it is writable by ${st.mode & 0o002 ? "others" : "its group"} (mode ${(st.mode & 0o7777).toString(8)})`
          : undefined;
  if (why === undefined) return;
  throw new GsError("GS_STATE_UNSAFE", `refusing the state directory: ${path}: ${why}; nothing was written`, {
    location: path,
  });
}
