// Start-up cost: every command pays for the modules it loads. --version and --help load no command
// (commands.ts imports one when it runs); a plan over a POSIX tree with file sources loads neither
// the other commands nor the database drivers, the HTTP client, the scheduler, the watcher, the
// metrics library or the WebHDFS target: each is loaded where a connection, a daemon or a WebHDFS
// target needs it.

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
  // The config's and Ranger's validator before they were written by hand (no longer a dependency).
  "zod",
];

/** The tests run the CLI from its sources through tsx, which loads these itself. */
const TS_LOADER = ["tsx", "esbuild", "get-tsconfig", "resolve-pkg-maps"];

/** Our modules a POSIX plan must not load: the other commands, the HTML report, the service, WebHDFS. */
const NOT_FOR_PLAN = [
  /^cli\/(validate|explain|access|matrix|apply|undo|report|daemon|state)\.ts$/,
  /^report\/html\.ts$/,
  /^(daemon|db|emulator|targets\/webhdfs)\//,
  /^policy\/ranger\/(source|document|json|rest)\.ts$/,
];

/** The packages under node_modules and our modules under src/ a CLI run loaded, as a module loader hook saw them. */
function modulesLoaded(args: string[]): { packages: Set<string>; own: string[] } {
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
    const urls = readFileSync(out, "utf8").split("\n");
    const names = urls
      .map((u) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(u)?.[1])
      .filter((n): n is string => n !== undefined);
    const own = urls
      .map((u) => /^file:\/\/.*?\/src\/(.*\.ts)$/.exec(u)?.[1])
      .filter((n): n is string => n !== undefined);
    return { packages: new Set(names), own: [...new Set(own)] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("CLI start-up", () => {
  it("plans a POSIX tree from file sources without loading drivers, HTTP, scheduler, watcher or metrics", (t) => {
    const wh = makeWarehouse();
    t.after(() => wh.cleanup());
    const { packages, own } = modulesLoaded(["plan", "--config", wh.config]);
    // The hook sees packages and our modules at all: the CLI's own parser is one, plan.ts another.
    assert.ok(packages.has("commander"), [...packages].join(", "));
    assert.ok(own.includes("cli/plan.ts"), own.join(", "));
    assert.deepEqual(
      HEAVY.filter((p) => packages.has(p)),
      [],
    );
    assert.deepEqual(
      own.filter((m) => NOT_FOR_PLAN.some((re) => re.test(m))),
      [],
    );
  });

  for (const args of [["--version"], ["plan", "--help"]])
    it(`loads no command and no package but commander for ${args.join(" ")}`, () => {
      const { packages, own } = modulesLoaded(args);
      assert.deepEqual(
        [...packages].filter((p) => !TS_LOADER.includes(p)),
        ["commander"],
      );
      assert.ok(own.includes("cli/commands.ts"), own.join(", "));
      assert.deepEqual(
        own.filter((m) =>
          /^(session|reconcile|config|targets|sources|compile|policy|state)\/|^cli\/(plan|common)\.ts$/.test(
            m,
          ),
        ),
        [],
      );
    });
});
