// `grantsync access PATH --user U`: what the kernel or NameNode lets U do on PATH (read, write,
// execute, traversal from `/`), the entry deciding it and the grants behind it; exit 0 when that
// matches the grants, 2 when it differs. `--matrix` gives principals × objects instead (matrix.ts).

import { resolve } from "node:path";
import { type AccessSubject, evaluateAccess } from "../acl/access.ts";
import { GsError } from "../errors.ts";
import { normalizeAbsolutePath } from "../paths.ts";
import { accessReport, renderAccess } from "../report/access.ts";
import type { Target } from "../targets/target.ts";
import { CliExit, openSession, printJson, stdoutStyle } from "./common.ts";
import { type MatrixOptions, matrix } from "./matrix.ts";

interface AccessOptions extends MatrixOptions {
  config?: string;
  json?: boolean;
  user?: string;
  group?: string[];
  groups?: string;
  supergroup: string;
  matrix?: boolean;
}

/** `access PATH`, or `access --matrix`. */
export async function accessCommand(path: string | undefined, opts: AccessOptions): Promise<void> {
  if (opts.matrix) return matrix(opts);
  if (!path) throw new GsError("GS_USAGE", "access needs a PATH (or --matrix)");
  return access(path, opts);
}

async function subjectFor(target: Target, opts: AccessOptions): Promise<AccessSubject> {
  const listed =
    opts.groups === undefined
      ? undefined
      : opts.groups
          .split(",")
          .map((g) => g.trim())
          .filter(Boolean);
  const extra = opts.group ?? [];
  if (opts.user === undefined) {
    if (extra.length === 0 && listed === undefined)
      throw new GsError("GS_USAGE", "access needs --user or --group");
    return { groups: [...new Set([...(listed ?? []), ...extra])], superuser: false };
  }
  const id = await target.identity!(opts.user);
  const groups = listed ?? id.groups;
  if (groups === null) {
    throw new GsError("GS_USAGE", `the groups of ${opts.user} are not known to this target`, {
      input: opts.user,
      hint: "Give them with --groups a,b (the NameNode's group mapping is not readable over WebHDFS).",
    });
  }
  const all = [...new Set([...groups, ...extra])];
  const superuser = id.superuser || (target.kind === "webhdfs" && all.includes(opts.supergroup));
  return { user: id.user, groups: all, superuser };
}

async function access(rawPath: string, opts: AccessOptions): Promise<void> {
  const { config, desired, session } = await openSession(opts.config, opts);
  const { target } = session;
  try {
    const posix = target.kind === "posix";
    const path = normalizeAbsolutePath(posix ? resolve(rawPath) : rawPath) ?? rawPath;
    const subject = await subjectFor(target, opts);
    const chain = await target.chain!(path);
    const verdict = evaluateAccess(subject, chain, posix ? "posix" : "hdfs");
    const type = chain[chain.length - 1]!.type;
    const report = accessReport({ path, type, subject, verdict, desired, roots: config.target.roots });
    if (opts.json) printJson(report);
    else process.stdout.write(renderAccess(report, stdoutStyle()));
    if (!report.matches) throw new CliExit(2);
  } finally {
    await target.close();
  }
}
