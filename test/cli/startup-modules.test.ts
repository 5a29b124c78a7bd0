// Start-up cost: every command pays for the modules it loads. A plan over a POSIX tree with file
// sources must not load the database drivers, the HTTP client, the scheduler, the watcher or the
// metrics library: each is loaded where a connection, a daemon or a WebHDFS target needs it.

import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { pathToFileURL } from "node:url";
import { grantsync } from "../helpers/cli.ts";
import { makeWarehouse } from "../helpers/warehouse.ts";

const HEAVY = [
  "pg",
  "mysql2",
  "undici",
  "chokidar",
  "node-cron",
  "prom-client",
  "pino",
  "pino-pretty",
  "kerberos",
];

/** The packages under node_modules a CLI run loaded, as a module loader hook saw them. */
function packagesLoaded(args: string[]): Set<string> {
  const dir = mkdtempSync(join(tmpdir(), "gs-modules-"));
  try {
    const out = join(dir, "loaded.txt");
    const hooks = join(dir, "hooks.mjs");
    writeFileSync(
      hooks,
      `import { appendFileSync } from "node:fs";
export async function load(url, context, next) {
  appendFileSync(${JSON.stringify(out)}, url + "\\n");
  return next(url, context);
}
`,
    );
    const register = join(dir, "register.mjs");
    writeFileSync(
      register,
      `import { register } from "node:module";\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`,
    );
    const r = grantsync(args, { NODE_OPTIONS: `--import ${pathToFileURL(register).href}` });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const names = readFileSync(out, "utf8")
      .split("\n")
      .map((u) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(u)?.[1])
      .filter((n): n is string => n !== undefined);
    return new Set(names);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("CLI start-up", () => {
  it("plans a POSIX tree from file sources without loading drivers, HTTP, scheduler, watcher or metrics", (t) => {
    const wh = makeWarehouse();
    t.after(() => wh.cleanup());
    const loaded = packagesLoaded(["plan", "--config", wh.config]);
    // The hook sees packages at all: the CLI's own parser is one.
    assert.ok(loaded.has("commander"), [...loaded].join(", "));
    assert.deepEqual(
      HEAVY.filter((p) => loaded.has(p)),
      [],
    );
  });
});
