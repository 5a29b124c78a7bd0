// An in-process grantsync session against WebHDFS emulators: the real config parser, sources,
// compiler and reconcile engine, with a target whose backoff is milliseconds so fault tests are fast.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseConfig } from "../../src/config/load.ts";
import type { Config } from "../../src/config/types.ts";
import { DirStateStore } from "../../src/reconcile/dir-store.ts";
import type { Session } from "../../src/reconcile/run.ts";
import { sessionOf } from "../../src/session/build.ts";
import { compileFor } from "../../src/session/compile.ts";
import { loadModel } from "../../src/sources/load.ts";
import { WebhdfsTarget } from "../../src/targets/webhdfs/target.ts";

export interface HdfsSessionFiles {
  dir: string;
  config: Config;
  /** A fresh session (and target) over the current policy and locations files. */
  open(): Promise<Session>;
  writePolicy(text: string): void;
  cleanup(): void;
}

export function hdfsSessionFiles(opts: {
  namenodes: string[];
  policy: string;
  locations: string;
  roots?: string;
  /** Extra lines for the [webhdfs] section. */
  webhdfs?: string;
  extraConfig?: string;
}): HdfsSessionFiles {
  const dir = mkdtempSync(join(tmpdir(), "gs-hdfs-"));
  const file = join(dir, "grantsync.ini");
  const policyFile = join(dir, "policy.ini");
  writeFileSync(policyFile, opts.policy);
  writeFileSync(join(dir, "locations.ini"), opts.locations);
  const text = `[policy]
file = policy.ini
server = server1
[catalog]
file = locations.ini
[target]
type = webhdfs
roots = ${opts.roots ?? "/w"}
[webhdfs]
namenodes = ${opts.namenodes.join(", ")}
concurrency = 4
connections = 8
${opts.webhdfs ?? ""}
[state]
dir = state
${opts.extraConfig ?? ""}`;
  writeFileSync(file, text);
  const config = parseConfig(text, file);
  const open = async (): Promise<Session> => {
    const load = await loadModel(config);
    if (!load.model) throw new Error(`model: ${JSON.stringify(load.errors)}`);
    const target = new WebhdfsTarget({
      ...config.webhdfs!,
      roots: config.target.roots,
      retry: { baseMs: 2, capMs: 20 },
    });
    const desired = compileFor(config, load.model, target);
    return sessionOf({ config, target, desired, store: new DirStateStore(config.state.dir) });
  };
  return {
    dir,
    config,
    open,
    writePolicy: (t) => writeFileSync(policyFile, t),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
