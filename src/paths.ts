// Absolute paths as every stage handles them, whatever the target: normalized, compared by
// ancestry, matched to the configured root they lie under.

/**
 * Collapses `//`, drops a trailing `/`; refuses relative paths and `.`/`..` segments rather than
 * resolving them, and NUL characters, which a system call would take as the end of the path.
 */
export function normalizeAbsolutePath(p: string): string | undefined {
  if (!p.startsWith("/") || p.includes("\0")) return undefined;
  const parts = p.split("/").filter((s) => s !== "");
  if (parts.some((s) => s === "." || s === "..")) return undefined;
  return `/${parts.join("/")}`;
}

export function isUnder(path: string, root: string): boolean {
  return root === "/" || path === root || path.startsWith(`${root}/`);
}

/** The value `lookup` gives for the deepest of `path` and its ancestors that has one. */
export function deepestAtOrAbove<T>(path: string, lookup: (p: string) => T | undefined): T | undefined {
  let p = path;
  while (true) {
    const v = lookup(p);
    if (v !== undefined) return v;
    if (p === "/" || p === "") return undefined;
    const slash = p.lastIndexOf("/");
    p = slash <= 0 ? "/" : p.slice(0, slash);
  }
}

export function findRoot(path: string, roots: readonly string[]): string | undefined {
  return roots.find((r) => isUnder(path, r));
}
