// Keeps the daemon responsive during long walks: the POSIX target reads and writes synchronously,
// so a walk over millions of paths would otherwise starve signals and the health server.

import { setImmediate as nextLoopTurn } from "node:timers/promises";
import type { Target } from "../targets/target.ts";

/** Wraps `target` so its walks give the event loop a turn at least every `everyMs` of work. */
export function yieldingTarget(target: Target, everyMs = 20): Target {
  return {
    kind: target.kind,
    fileExecuteDefault: target.fileExecuteDefault,
    maxEntries: target.maxEntries,
    ...(target.entryCount ? { entryCount: (acl) => target.entryCount!(acl) } : {}),
    ...(target.writeMany ? { writeMany: (nodes, nexts) => target.writeMany!(nodes, nexts) } : {}),
    walk(root, options) {
      let due = performance.now() + everyMs;
      return target.walk(root, {
        ...options,
        // The walk awaits visit before moving on, so a turn taken here falls between two paths.
        visit(node) {
          const r = options.visit(node);
          if (performance.now() < due) return r;
          return Promise.resolve(r)
            .then(() => nextLoopTurn())
            .then(() => {
              due = performance.now() + everyMs;
            });
        },
      });
    },
    node: (path) => target.node(path),
    unknownPrincipals: (principals) => target.unknownPrincipals(principals),
    close: () => target.close(),
  };
}
