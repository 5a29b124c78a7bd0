// `grantsync explain PATH`: the object a path belongs to, its desired entries and, for each,
// the grants producing it (role, principal, privilege, file:line), grants producing nothing, and
// the ACL the path carries now.

import { resolve } from "node:path";
import { formatEntry } from "../acl/spec.ts";
import { explainPath } from "../compile/explain.ts";
import { normalizeAbsolutePath } from "../paths.ts";
import { aboveRootProblems } from "../reconcile/above-roots.ts";
import { colourEnabled, makeStyle } from "../report/style.ts";
import { renderExplain } from "../report/text.ts";
import type { TargetNode } from "../targets/target.ts";
import { closeSession, openSession, printJson, stdoutStyle } from "./common.ts";

interface ExplainOptions {
  config?: string;
  json?: boolean;
}

export async function explain(rawPath: string, opts: ExplainOptions): Promise<void> {
  const { config, desired, session } = await openSession(opts.config, opts);
  const path = normalizeAbsolutePath(config.target.type === "posix" ? resolve(rawPath) : rawPath) ?? rawPath;
  const x = explainPath(desired, config.target.roots, path);
  let node: TargetNode | null = null;
  if (x.managed) {
    try {
      node = await session.target.node(path);
    } catch {
      node = null;
    }
  }
  // Directories above the root that stop this path's grantees before they reach it.
  const mine = new Set(x.entries.map((e) => e.principal));
  const above = x.root
    ? (await aboveRootProblems(session.target, desired, [x.root], new Set()).catch(() => []))
        .map((w) => ({ ...w, principals: (w.principals ?? []).filter((p) => mine.has(p)) }))
        .filter((w) => w.principals.length > 0)
    : [];
  await closeSession(session);
  for (const w of above)
    process.stderr.write(
      makeStyle(colourEnabled(process.stderr)).yellow(
        `warning: ${w.path}: ${w.code} ${w.message} [${w.principals.join(", ")}]\n`,
      ),
    );
  const type = node?.type;
  // The ACL on the path now, beside the desired entries, as getfacl would list it.
  const acl = node ? node.acl.map(formatEntry) : undefined;
  if (opts.json)
    printJson({
      ...x,
      ...(type ? { type } : {}),
      ...(acl ? { acl } : {}),
      ...(above.length ? { warnings: above } : {}),
    });
  else process.stdout.write(renderExplain(x, type, stdoutStyle(), acl));
}
