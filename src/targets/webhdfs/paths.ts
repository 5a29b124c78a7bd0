// HDFS path handling: normalizing absolute paths, encoding them into /webhdfs/v1 URLs segment by
// segment, and keeping every managed path inside the configured roots.

import { GsError } from "../../errors.ts";
import { findRoot, normalizeAbsolutePath } from "../../paths.ts";

/** Absolute, no empty, `.` or `..` segment, no NUL: what normalizing would return unchanged. */
const NORMAL = /^(?:\/(?!\.\.?(?:\/|$))[^/\0]+)+$/;

/** `/a//b/` → `/a/b`; refuses relative paths and `.`/`..` segments, which HDFS refuses anyway. */
export function normalizeHdfsPath(path: string): string {
  // The walk's paths are normal already; this check is a fraction of the split and join.
  if (NORMAL.test(path)) return path;
  const normalized = normalizeAbsolutePath(path);
  if (normalized === undefined) {
    throw new GsError("GS_PATH_OUTSIDE_ROOTS", `not an absolute HDFS path without . or ..: ${path}`, {
      input: path,
    });
  }
  return normalized;
}

/**
 * Each segment is percent-encoded on its own so `/`, `%`, `#`, `?`, `=`, spaces and unicode in
 * names reach the NameNode as literal characters instead of URL syntax.
 */
export function webhdfsUrlPath(path: string): string {
  return encodedUrlPath(normalizeHdfsPath(path));
}

/** Characters encodeURIComponent leaves alone, plus the separator. */
const UNRESERVED = /^[A-Za-z0-9/_.!~*'()-]*$/;

/** webhdfsUrlPath of a path normalizeHdfsPath already returned. */
export function encodedUrlPath(normalized: string): string {
  if (UNRESERVED.test(normalized)) return `/webhdfs/v1${normalized}`;
  return `/webhdfs/v1/${normalized.split("/").slice(1).map(encodeURIComponent).join("/")}`;
}

export function childPath(parent: string, name: string): string {
  return parent === "/" ? `/${name}` : `${parent}/${name}`;
}

/** Normalizes `path` and throws GS_PATH_OUTSIDE_ROOTS unless it lies under one of `roots`. */
export function requireUnderRoots(path: string, roots: readonly string[]): string {
  const p = normalizeHdfsPath(path);
  if (findRoot(p, roots) === undefined) {
    throw new GsError("GS_PATH_OUTSIDE_ROOTS", `${p} is outside the managed roots (${roots.join(", ")})`, {
      location: p,
    });
  }
  return p;
}
