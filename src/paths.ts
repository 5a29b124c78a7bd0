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

/**
 * Tree order: a directory before everything below it, siblings by name, a subtree before the
 * next sibling (`/a/b` < `/a/b/c` < `/a/b-c`, where plain string order puts `/a/b-c` first).
 */
export function compareTreeOrder(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (i === n) return a.length - b.length;
  const ca = a.charCodeAt(i);
  const cb = b.charCodeAt(i);
  if (ca === SLASH) return -1;
  if (cb === SLASH) return 1;
  return ca - cb;
}

const SLASH = 0x2f;
