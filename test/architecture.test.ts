// Reads the imports of every module under src/ and holds the layering of docs/ARCHITECTURE.md:
// no cycle between top-level folders, targets and the pure core import only what they may.

import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, it } from "node:test";

const src = new URL("../src", import.meta.url).pathname;

interface Module {
  file: string;
  folder: string;
  lines: number;
  imports: string[]; // resolved paths relative to src/ for local imports, bare names otherwise
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = join(dir, d.name);
    if (d.isDirectory()) return walk(p);
    return d.name.endsWith(".ts") ? [p] : [];
  });
}

/** The top-level unit a module belongs to: its folder under src/, or the file itself at the top. */
function unitOf(rel: string): string {
  const i = rel.indexOf("/");
  return i < 0 ? rel.replace(/\.ts$/, "") : rel.slice(0, i);
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+"([^"]+)"|import\(\s*"([^"]+)"\s*\)/g;

function readModules(): Module[] {
  return walk(src).map((abs) => {
    const text = readFileSync(abs, "utf8");
    const file = relative(src, abs);
    const imports: string[] = [];
    for (const m of text.matchAll(IMPORT)) {
      const spec = m[1] ?? m[2] ?? "";
      imports.push(spec.startsWith(".") ? relative(src, resolve(dirname(abs), spec)) : spec);
    }
    return {
      file,
      folder: unitOf(file),
      lines: text.split("\n").length - (text.endsWith("\n") ? 1 : 0),
      imports,
    };
  });
}

const modules = readModules();

function folderEdges(): Map<string, Map<string, string>> {
  const edges = new Map<string, Map<string, string>>();
  for (const m of modules) {
    for (const imp of m.imports) {
      if (imp.startsWith("node:") || !imp.includes(".ts")) continue;
      const to = unitOf(imp);
      if (to === m.folder) continue;
      const out = edges.get(m.folder) ?? new Map<string, string>();
      if (!out.has(to)) out.set(to, `${m.file} → ${imp}`);
      edges.set(m.folder, out);
    }
  }
  return edges;
}

function findCycle(edges: Map<string, Map<string, string>>): string[] | undefined {
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (n: string): string[] | undefined => {
    state.set(n, "open");
    stack.push(n);
    for (const to of edges.get(n)?.keys() ?? []) {
      if (state.get(to) === "open") return [...stack.slice(stack.indexOf(to)), to];
      if (!state.has(to)) {
        const c = visit(to);
        if (c) return c;
      }
    }
    stack.pop();
    state.set(n, "done");
    return undefined;
  };
  for (const n of edges.keys()) {
    if (!state.has(n)) {
      const c = visit(n);
      if (c) return c;
    }
  }
  return undefined;
}

function importsOf(folder: string): { from: string; to: string }[] {
  return modules
    .filter((m) => m.folder === folder)
    .flatMap((m) => m.imports.map((to) => ({ from: m.file, to })));
}

describe("layering (docs/ARCHITECTURE.md)", () => {
  it("has no cycle between the top-level folders of src/", () => {
    const edges = folderEdges();
    const cycle = findCycle(edges);
    const why = cycle?.slice(0, -1).map((f, i) => edges.get(f)?.get(cycle[i + 1] ?? "") ?? f);
    assert.equal(cycle, undefined, `folder cycle ${cycle?.join(" → ")}:\n  ${why?.join("\n  ")}`);
  });

  it("lets targets import only acl, errors, paths and their own code", () => {
    const bad = importsOf("targets").filter(
      ({ to }) => to.endsWith(".ts") && !["targets", "acl", "errors", "paths"].includes(unitOf(to)),
    );
    assert.deepEqual(bad, []);
  });

  it("never imports targets from policy, compile or config", () => {
    const bad = ["policy", "compile", "config"].flatMap((f) =>
      importsOf(f).filter(({ to }) => unitOf(to) === "targets"),
    );
    assert.deepEqual(bad, []);
  });

  it("never imports cli or daemon from reconcile", () => {
    const bad = importsOf("reconcile").filter(({ to }) => ["cli", "daemon"].includes(unitOf(to)));
    assert.deepEqual(bad, []);
  });

  it("keeps acl, compile and text pure (no I/O modules, no logger)", () => {
    const io = /^node:(fs|fs\/promises|net|http|https|child_process|dgram|dns|tls|worker_threads)$/;
    const bad = ["acl", "compile", "text"].flatMap((f) =>
      importsOf(f).filter(({ to }) => io.test(to) || unitOf(to) === "log"),
    );
    assert.deepEqual(bad, []);
  });

  it("keeps the neutral helpers (memo, text) at the bottom: they import no other part of src/", () => {
    const bad = ["memo", "text"].flatMap((f) =>
      importsOf(f).filter(({ to }) => to.endsWith(".ts") && unitOf(to) !== f),
    );
    assert.deepEqual(bad, []);
  });

  it("keeps every source file at 300 lines or fewer", () => {
    const long = modules.filter((m) => m.lines > 300).map((m) => `${m.file} (${m.lines} lines)`);
    assert.deepEqual(long, []);
  });
});
