// Property-based fuzzing of every text grantsync reads: the Sentry policy INI, the locations file
// and grantsync's own config. Whatever the text: no crash, no hang, no untyped exception; every
// problem is a Diagnostic with its file (and a line within it) or a GsError with a code; every
// location that resolves is normalized and under a root; and bad input makes apply write nothing.

import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import fc from "fast-check";
import { parseLocationsText } from "../../src/catalog/locations-file.ts";
import { resolveLocation } from "../../src/compile/locations.ts";
import { parseConfig } from "../../src/config/load.ts";
import { type Diagnostic, GsError } from "../../src/errors.ts";
import { isUnder } from "../../src/paths.ts";
import { loadPolicyFile } from "../../src/policy/file-source.ts";
import { grantsync } from "../helpers/cli.ts";
import { makeScratch, type Scratch, SOAK, size, stateOf } from "../helpers/hardening.ts";

const RUNS = size(500, 10_000);
/** GRANTSYNC_SEED replays a run; fast-check prints the seed and path of a failure. */
const SEED = Number(process.env.GRANTSYNC_SEED ?? Date.now() % 2 ** 31);
const repo = new URL("../..", import.meta.url).pathname;
const VALID_POLICY = readFileSync(join(repo, "config/sentry-provider.ini"), "utf8");
const VALID_LOCATIONS = readFileSync(join(repo, "config/locations.ini"), "utf8");
const VALID_CONFIG = `[policy]
type = file
file = sentry-provider.ini
server = server1
[catalog]
file = locations.ini
[target]
type = webhdfs
roots = /srv/warehouse, /data
unknown_principal = skip
[compile]
select = r
all = rw
default_acls = true
[webhdfs]
namenodes = http://nn1:9870, http://nn2:9870
nameservice = cluster1
retries = 3
timeout = 500ms
[safety]
max_removals = 100
max_removals_percent = 50
[state]
dir = /var/lib/grantsync
[daemon]
schedule = */15 * * * *
listen = 127.0.0.1:9464
debounce = 300ms
[log]
level = info
`;

/** Characters that matter to INI, Sentry privileges, paths and URIs, plus some that should not. */
const ALPHABET = [
  ..."[]=,;#:\\/\n\r\t '\"->*.%_",
  ..."abcdsvrlnto0129",
  "server=",
  "db=",
  "table=",
  "action=",
  "uri=",
  "->",
  "[groups]",
  "[roles]",
  "[users]",
  "[databases]",
  "[tables]",
  "[partitions]",
  "file://",
  "hdfs://",
  "..",
  "%2e",
  "%00",
  "\0",
  "\uFFFD",
  "é",
  "\u202E",
];
const iniText = fc.string({ unit: fc.constantFrom(...ALPHABET), maxLength: 300 });

/** A valid file with a few lines deleted, duplicated, truncated, spliced or replaced by noise. */
function mutated(valid: string): fc.Arbitrary<string> {
  const lines = valid.split("\n");
  const edit = fc.tuple(
    fc.constantFrom("delete", "duplicate", "truncate", "insert", "splice"),
    fc.nat(lines.length - 1),
    fc.nat(200),
    fc.string({ unit: fc.constantFrom(...ALPHABET), maxLength: 30 }),
  );
  return fc.array(edit, { minLength: 1, maxLength: 6 }).map((edits) => {
    const out = [...lines];
    for (const [op, i, at, noise] of edits) {
      const line = out[i % Math.max(out.length, 1)] ?? "";
      if (op === "delete") out.splice(i, 1);
      else if (op === "duplicate") out.splice(i, 0, line);
      else if (op === "truncate") out[i] = line.slice(0, at % (line.length + 1));
      else if (op === "insert") out.splice(i, 0, noise);
      else out[i] = line.slice(0, at % (line.length + 1)) + noise + line.slice(at % (line.length + 1));
    }
    return out.join("\n");
  });
}

/** Diagnostics that concern a whole file rather than one of its lines. */
const FILE_LEVEL = new Set(["GS_POLICY_READ", "GS_POLICY_SECTION_MISSING", "GS_CATALOG_READ"]);

function checkDiagnostics(ds: readonly Diagnostic[], texts: ReadonlyMap<string, string>): void {
  for (const d of ds) {
    assert.match(d.code, /^GS_[A-Z_]+$/, JSON.stringify(d));
    assert.ok(d.file, `no file: ${JSON.stringify(d)}`);
    const text = texts.get(d.file);
    if (d.line === undefined) {
      assert.ok(FILE_LEVEL.has(d.code), `no line: ${JSON.stringify(d)}`);
      continue;
    }
    assert.ok(Number.isInteger(d.line) && d.line >= 1, JSON.stringify(d));
    if (text !== undefined) {
      const lineCount = text.split(/\r\n|\n|\r/).length;
      assert.ok(d.line <= lineCount, `line ${d.line} > ${lineCount}: ${JSON.stringify(d)}`);
    }
  }
}

describe(`fuzzing the inputs (seed ${SEED})`, { timeout: SOAK ? 1_800_000 : 60_000 }, () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "gs-fuzz-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it(`policy files: ${RUNS} generated and mutated texts give diagnostics with file and line`, async () => {
    const file = join(dir, "policy.ini");
    await fc.assert(
      fc.asyncProperty(fc.oneof(iniText, mutated(VALID_POLICY)), async (text) => {
        writeFileSync(file, text);
        const r = await loadPolicyFile(file, { server: "server1" });
        checkDiagnostics([...r.errors, ...r.warnings], new Map([[file, text]]));
        assert.equal(r.policy === undefined, r.errors.length > 0);
        for (const g of r.policy?.grants ?? []) assert.ok((g.privilege.source.line ?? 0) >= 1);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it(`locations files: ${RUNS} texts; every location that resolves is normalized and under a root`, () => {
    const file = join(dir, "locations.ini");
    const roots = ["/srv/w", "/data"];
    fc.assert(
      fc.property(
        fc.oneof(iniText, mutated(VALID_LOCATIONS.replaceAll("/srv/warehouse", "/srv/w"))),
        (text) => {
          const r = parseLocationsText(text, file);
          checkDiagnostics([...r.errors, ...r.warnings], new Map([[file, text]]));
          assert.equal(r.catalog === undefined, r.errors.length > 0);
          const uris = [...(r.catalog?.databases ?? []), ...(r.catalog?.tables ?? [])].flatMap((o) =>
            o.locations.map((l) => l.uri),
          );
          for (const uri of uris) {
            for (const target of ["posix", "webhdfs"] as const) {
              const res = resolveLocation(uri, { target, roots, nameservice: "cluster1" });
              if (!res.ok) continue;
              const p = res.path;
              assert.ok(
                roots.some((root) => isUnder(p, root)),
                `${uri} → ${p}`,
              );
              assert.ok(
                !/\/\/|\/\.\.?(\/|$)|.\/$|\0/.test(p),
                `${uri} → ${JSON.stringify(p)} is not normalized`,
              );
            }
          }
        },
      ),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it(`config files: ${RUNS} texts give a Config or a GsError GS_CONFIG_*, never anything else`, () => {
    const file = join(dir, "grantsync.ini");
    fc.assert(
      fc.property(fc.oneof(iniText, mutated(VALID_CONFIG)), (text) => {
        let config: ReturnType<typeof parseConfig>;
        try {
          config = parseConfig(text, file);
        } catch (err) {
          assert.ok(err instanceof GsError, `untyped: ${err}`);
          assert.match(err.code, /^GS_CONFIG_/);
          assert.ok(err.location === file || err.location?.startsWith(`${file}:`), err.location);
          return;
        }
        for (const r of config.target.roots) assert.ok(r.startsWith("/") && !/\/\.\.?(\/|$)|\0/.test(r), r);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });
});

describe("bad input writes nothing", { timeout: 60_000 }, () => {
  let wh: Scratch;
  const POLICY = `[groups]
staff = reader
[roles]
reader = server=server1->db=sales->action=select
`;
  before(() => {
    wh = makeScratch({
      policy: POLICY,
      locations: "[databases]\nsales = @ROOT@/sales.db\n[tables]\nsales.t = @ROOT@/sales.db/t\n",
      dirs: ["sales.db/t"],
    });
    writeFileSync(wh.p("sales.db/t/part-0"), "");
  });
  after(() => wh.cleanup());

  const cases: [string, (wh: Scratch) => void, RegExp][] = [
    [
      "a policy with one bad line among good ones",
      (w) => w.write("policy", `${POLICY}broken = server=server1->db=sales->action=selekt\n`),
      /policy\.ini:5: GS_POLICY_ACTION/,
    ],
    [
      "a locations file with a relative location",
      (w) => w.write("locations", "[databases]\nsales = @ROOT@/sales.db\n[tables]\nsales.t = sales.db/t\n"),
      /locations\.ini:4: GS_CATALOG_INVALID/,
    ],
    [
      "a config with an unknown target type",
      (w) => w.write("config", readFileSync(w.config, "utf8").replace("type = posix", "type = nfs")),
      /grantsync\.ini:\d+: GS_CONFIG_INVALID/,
    ],
  ];
  for (const [what, breakIt, message] of cases) {
    it(`refuses ${what} with its location and changes nothing`, () => {
      const config = readFileSync(wh.config, "utf8");
      const before = stateOf(wh.root);
      breakIt(wh);
      try {
        const r = grantsync(["apply", "-c", wh.config, "--yes"]);
        assert.equal(r.code, 1, r.stdout + r.stderr);
        assert.match(r.stderr, message);
        assert.equal(stateOf(wh.root), before);
      } finally {
        wh.write("policy", POLICY);
        wh.write(
          "locations",
          "[databases]\nsales = @ROOT@/sales.db\n[tables]\nsales.t = @ROOT@/sales.db/t\n",
        );
        wh.write("config", config);
      }
    });
  }
});
