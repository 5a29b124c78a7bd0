// Maps a catalog location URI to a path of the configured target, or says why it is not ours:
// another scheme or cluster, a `..` segment, or a path outside every configured root.

import { findRoot, normalizeAbsolutePath } from "../paths.ts";

export interface LocationRules {
  target: "posix" | "webhdfs";
  roots: readonly string[];
  /** For webhdfs: the cluster's logical name or host:port that hdfs:// locations must name. */
  nameservice?: string;
}

export type ResolvedLocation = { ok: true; path: string } | { ok: false; reason: string };

export function resolveLocation(uri: string, rules: LocationRules): ResolvedLocation {
  const raw = targetPathOf(uri.trim(), rules);
  if (!raw.ok) return raw;
  let decoded = raw.path;
  if (/^[a-z][a-z0-9+.-]*:/i.test(uri.trim())) {
    try {
      decoded = decodeURIComponent(raw.path);
    } catch {
      return { ok: false, reason: "the URI has an invalid %-escape" };
    }
  }
  const path = normalizeAbsolutePath(decoded);
  if (!path) return { ok: false, reason: "the path is not absolute, or has a '.' or '..' segment or a NUL" };
  if (!findRoot(path, rules.roots))
    return { ok: false, reason: `outside every configured root (${rules.roots.join(", ")})` };
  return { ok: true, path };
}

function targetPathOf(uri: string, rules: LocationRules): ResolvedLocation {
  if (uri.startsWith("/")) return { ok: true, path: uri };
  const m = /^([a-z][a-z0-9+.-]*):\/\/([^/]*)(\/.*)?$/i.exec(uri);
  if (!m) return { ok: false, reason: "not an absolute path or a scheme://authority/path URI" };
  const scheme = m[1]!.toLowerCase();
  const authority = m[2]!;
  const path = m[3] ?? "/";
  if (rules.target === "posix") {
    if (scheme !== "file") return { ok: false, reason: `a ${scheme}: location is not on this POSIX target` };
    if (authority !== "" && authority !== "localhost")
      return { ok: false, reason: `file: URI names host "${authority}"` };
    return { ok: true, path };
  }
  if (scheme !== "hdfs" && scheme !== "webhdfs" && scheme !== "swebhdfs") {
    return { ok: false, reason: `a ${scheme}: location is not on this HDFS target` };
  }
  if (authority !== "" && rules.nameservice && authority.toLowerCase() !== rules.nameservice.toLowerCase()) {
    return {
      ok: false,
      reason: `cluster "${authority}" is not [webhdfs] nameservice "${rules.nameservice}"`,
    };
  }
  if (authority !== "" && !rules.nameservice) {
    return { ok: false, reason: `cluster "${authority}" given but [webhdfs] nameservice is not set` };
  }
  return { ok: true, path };
}
