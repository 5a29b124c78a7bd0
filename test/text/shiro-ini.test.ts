import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { lineAt, readShiroIni, splitQuotedList } from "../../src/text/shiro-ini.ts";

const lines = (...l: string[]) => l.join("\n");

describe("readShiroIni", () => {
  it("reads sections with case-sensitive names and entries with the line they start on", () => {
    const doc = readShiroIni(lines("[groups]", "analysts = r1, r2", "", "[Roles]", "r1 = server=s1"));
    assert.deepEqual(doc.problems, []);
    assert.deepEqual(
      doc.sections.map((s) => [s.name, s.line, s.entries.map((e) => [e.key, e.value, e.line])]),
      [
        ["groups", 1, [["analysts", "r1, r2", 2]]],
        ["Roles", 4, [["r1", "server=s1", 5]]],
      ],
    );
  });

  it("drops whole-line # and ; comments but keeps a # inside a value", () => {
    const doc = readShiroIni(lines("[roles]", "  # a comment", "; another", "r = uri=file:///a#b"));
    assert.deepEqual(doc.problems, []);
    assert.equal(doc.sections[0]?.entries[0]?.value, "uri=file:///a#b");
  });

  it("joins a line ending in an odd number of backslashes to the next trimmed line with no space", () => {
    const doc = readShiroIni(lines("[roles]", "r = server=s1->\\", "    db=d,\\", "   server=s1"));
    const entry = doc.sections[0]!.entries[0]!;
    assert.equal(entry.value, "server=s1->db=d,server=s1");
    assert.equal(entry.line, 2);
  });

  it("keeps an even number of trailing backslashes as text", () => {
    const doc = readShiroIni(lines("[roles]", "r = a\\\\", "s = b"));
    assert.deepEqual(
      doc.sections[0]!.entries.map((e) => e.value),
      ["a\\\\", "b"],
    );
  });

  it("drops comment and blank lines before joining continued lines", () => {
    const doc = readShiroIni(lines("[roles]", "r = a,\\", "", "# note", "b"));
    assert.equal(doc.sections[0]!.entries[0]!.value, "a,b");
  });

  it("maps an offset in a continued value back to the physical line holding it", () => {
    const doc = readShiroIni(lines("[roles]", "r = first, \\", "  second, \\", "  third"));
    const entry = doc.sections[0]!.entries[0]!;
    assert.deepEqual(
      [0, entry.value.indexOf("second"), entry.value.indexOf("third")].map((o) => lineAt(entry, o)),
      [2, 3, 4],
    );
  });

  it("puts a value that starts on the line after its key on that line", () => {
    const doc = readShiroIni(lines("[roles]", "r = \\", "  server=s1"));
    assert.equal(lineAt(doc.sections[0]!.entries[0]!, 0), 3);
  });

  it("splits at the first = so values may contain = and :", () => {
    const doc = readShiroIni(lines("[roles]", "r = server=s1->uri=hdfs://nn:8020/x"));
    assert.equal(doc.sections[0]!.entries[0]!.value, "server=s1->uri=hdfs://nn:8020/x");
  });

  it("accepts Shiro's key: value when the colon comes before any =", () => {
    const doc = readShiroIni(lines("[groups]", "analysts: r1"));
    assert.deepEqual(doc.problems, []);
    assert.equal(doc.sections[0]!.entries[0]!.key, "analysts");
  });

  it("keeps repeated keys in order so the caller can report them", () => {
    const doc = readShiroIni(lines("[roles]", "r = a", "r = b"));
    assert.deepEqual(
      doc.sections[0]!.entries.map((e) => [e.value, e.line]),
      [
        ["a", 2],
        ["b", 3],
      ],
    );
  });

  it("reports a line without = at its line, and keys before any section", () => {
    const doc = readShiroIni(lines("orphan = 1", "[groups]", "analysts r1", "my group = r1"));
    assert.deepEqual(doc.problems, [
      { line: 1, message: '"orphan" appears before any [section] header' },
      { line: 3, message: 'expected "key = value", found "analysts r1"' },
      { line: 4, message: 'key "my group" contains whitespace' },
    ]);
  });

  it("reports a repeated section header, which Shiro would let replace the first", () => {
    const doc = readShiroIni(lines("[roles]", "a = x", "[roles]", "b = y"));
    assert.equal(doc.problems[0]?.line, 3);
    assert.match(doc.problems[0]!.message, /appears again \(first at line 1\)/);
    assert.deepEqual(
      doc.sections[0]!.entries.map((e) => e.key),
      ["a", "b"],
    );
  });

  it("reports a continuation that runs into a header or the end of the file at its first line", () => {
    const doc = readShiroIni(lines("[roles]", "a = x,\\", "[groups]", "g = a,\\"));
    assert.deepEqual(
      doc.problems.map((p) => p.line),
      [2, 4],
    );
  });
});

describe("splitQuotedList", () => {
  it("splits on commas, trims, and keeps quoted commas and doubled quotes", () => {
    const { items } = splitQuotedList(' a , "b,c" ,d""e, "f""g"');
    assert.deepEqual(
      items.map((i) => i.text),
      ["a", "b,c", "de", 'f"g'],
    );
    assert.deepEqual(
      items.map((i) => i.offset),
      [1, 5, 12, 18],
    );
  });

  it("reports where an unterminated quote starts", () => {
    assert.equal(splitQuotedList('a, "b, c').unterminatedQuoteAt, 3);
  });
});
