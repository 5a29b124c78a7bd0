// Principal names fuzzed end to end: a policy file naming generated groups and users, loaded,
// compiled and applied to the WebHDFS emulator. Exactly the entries of the valid names arrive;
// every other name is reported and reaches nothing. Seeded; the seed is printed on failure.

import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import fc from "fast-check";
import { isNamed } from "../../src/acl/entry.ts";
import { principalNameProblem } from "../../src/acl/principal.ts";
import { formatEntry } from "../../src/acl/spec.ts";
import { type Emulator, startEmulator } from "../../src/emulator/server.ts";
import { applyChanges } from "../../src/reconcile/run.ts";
import { loadPolicy } from "../../src/sources/load.ts";
import { size } from "../helpers/hardening.ts";
import { type HdfsSessionFiles, hdfsSessionFiles } from "../helpers/webhdfs-session.ts";

const RUNS = size(40, 1000);
const SEED = Number(process.env.GRANTSYNC_SEED ?? Date.now() % 2 ** 31);

// Characters that end or split entries or lines somewhere, and ones names legitimately hold.
const CHARS = [..."abz09_.-$,#@:!'\"\\/", "é", "\u0001", "\u007f", "\u200b", "x"];
// A policy key cannot hold `=`, `:` or whitespace, nor start a comment or a section.
const keyName = fc
  .array(fc.constantFrom(...CHARS.filter((c) => c !== ":")), { minLength: 1, maxLength: 12 })
  .map((cs) => cs.join(""))
  .filter((n) => !/^[#;[]/.test(n));

const policyOf = (groups: string[], users: string[]) =>
  [
    "[groups]",
    ...groups.map((g) => `${g} = reader`),
    "base = reader",
    "[roles]",
    "reader = server=server1->db=sales->action=select",
    "[users]",
    ...users.map((u) => `${u} = base`),
    "",
  ].join("\n");

describe("principal names fuzzed from policy file to WebHDFS", { timeout: 120_000 }, () => {
  let emu: Emulator;
  let files: HdfsSessionFiles;
  before(async () => {
    emu = await startEmulator({ port: 0 });
    emu.fs.mkdirs("/w/sales.db");
    emu.fs.create("/w/sales.db/f", { data: "" });
    files = hdfsSessionFiles({
      namenodes: [emu.url],
      policy: policyOf([], []),
      locations: "[databases]\nsales = /w/sales.db\n",
    });
  });
  after(async () => {
    await emu.close();
    files.cleanup();
  });

  it(`applies exactly the entries of valid names (seed ${SEED})`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(
          keyName.filter((n) => n !== "base"),
          { maxLength: 5 },
        ),
        fc.uniqueArray(keyName, { maxLength: 3 }),
        async (groups, users) => {
          // A [groups] key is split nowhere: a comma or # inside it is part of the name.
          files.writePolicy(policyOf(groups, users));
          rmSync(join(files.dir, "state"), { recursive: true, force: true });
          for (const p of ["/w/sales.db", "/w/sales.db/f"]) emu.fs.removeAcl(p);
          const loaded = await loadPolicy(files.config);
          const reported = loaded.warnings
            .filter((w) => w.code === "GS_PRINCIPAL_INVALID")
            .map((w) => w.message);

          const session = await files.open();
          try {
            const r = await applyChanges(session, { force: true });
            assert.equal(r.failed, 0);
          } finally {
            await session.target.close();
          }
          const valid = (n: string) => principalNameProblem(n, "webhdfs") === undefined;
          const want = [
            "group:base",
            ...groups.filter(valid).map((g) => `group:${g}`),
            ...users.filter(valid).map((u) => `user:${u}`),
          ];
          for (const [path, scopes] of [
            ["/w/sales.db", ["", "default:"]],
            ["/w/sales.db/f", [""]],
          ] as const) {
            const have = emu.fs.getAcl(path).filter(isNamed).map(formatEntry).sort();
            const expected = scopes.flatMap((s) => want.map((k) => `${s}${k}:r-x`)).sort();
            assert.deepEqual(have, expected, path);
          }
          for (const bad of [...groups, ...users].filter((n) => !valid(n)))
            assert.ok(
              reported.some((m) => m.includes(JSON.stringify(bad))),
              `reported: ${bad}`,
            );
        },
      ),
      { numRuns: RUNS, seed: SEED },
    );
  });
});
