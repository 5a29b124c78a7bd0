// A real target whose writes are replaced by a given failure, or held back, for tests of what a
// failed or interrupted run leaves behind. Reads and walks stay the real thing.

import type { Target, TargetNode } from "../../src/targets/target.ts";

/** `fail(node)` returns the error for a node's write, or undefined to let it write for real. */
export function withFailingWrites(target: Target, fail: (node: TargetNode) => Error | undefined): Target {
  return withNodes(target, (node) => {
    const err = fail(node);
    if (!err) return node;
    return { path: node.path, type: node.type, acl: node.acl, write: () => Promise.reject(err) };
  });
}

/** Every write goes through `around(node, write)`, which decides when (and whether) it happens. */
export function withWrites(
  target: Target,
  around: (node: TargetNode, write: () => Promise<void>) => Promise<void>,
): Target {
  return withNodes(target, (node) => ({
    path: node.path,
    type: node.type,
    acl: node.acl,
    write: (next, stop) => around(node, () => node.write(next, stop)),
  }));
}

/** The target, every node its walks and lookups give handed out as `wrap` makes it. */
function withNodes(target: Target, wrap: (node: TargetNode) => TargetNode): Target {
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
