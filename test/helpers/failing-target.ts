// A real target whose writes are replaced by a given failure, or held back, for tests of what a
// failed or interrupted run leaves behind. Reads and walks stay the real thing.

import type { Target, TargetNode } from "../../src/targets/target.ts";

/** `fail(node)` returns the error for a node's write, or undefined to let it write for real. */
export function withFailingWrites(target: Target, fail: (node: TargetNode) => Error | undefined): Target {
  const wrap = (node: TargetNode): TargetNode => {
    const err = fail(node);
    if (!err) return node;
    return { path: node.path, type: node.type, acl: node.acl, write: () => Promise.reject(err) };
  };
  return {
    kind: target.kind,
    fileExecuteDefault: target.fileExecuteDefault,
    concurrentRoots: target.concurrentRoots,
    walk: (root, opts) => target.walk(root, { ...opts, visit: (n) => opts.visit(wrap(n)) }),
    node: async (p) => {
      const n = await target.node(p);
      return n && wrap(n);
    },
    unknownPrincipals: (ps) => target.unknownPrincipals(ps),
    close: () => target.close(),
  };
}

/** Every write goes through `around(node, write)`, which decides when (and whether) it happens. */
export function withWrites(
  target: Target,
  around: (node: TargetNode, write: () => Promise<void>) => Promise<void>,
): Target {
  const wrap = (node: TargetNode): TargetNode => ({
    path: node.path,
    type: node.type,
    acl: node.acl,
    write: (next, stop) => around(node, () => node.write(next, stop)),
  });
  return {
    kind: target.kind,
    fileExecuteDefault: target.fileExecuteDefault,
    concurrentRoots: target.concurrentRoots,
    walk: (root, opts) => target.walk(root, { ...opts, visit: (n) => opts.visit(wrap(n)) }),
    node: async (p) => {
      const n = await target.node(p);
      return n && wrap(n);
    },
    unknownPrincipals: (ps) => target.unknownPrincipals(ps),
    close: () => target.close(),
  };
}
