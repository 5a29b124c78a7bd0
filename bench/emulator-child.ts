// Runs the WebHDFS emulator in its own process (so it does not share a CPU with the client being
// measured), builds the benchmark tree directly in its namespace (files or partition directories
// below the tables), and answers count requests over IPC.

import { startEmulator } from "../src/emulator/server.ts";
import { fileName, partitionName, type Shape } from "./warehouse.ts";

export type ChildRequest =
  | { cmd: "build"; shape: Shape; root: string; groups: string[] }
  | { cmd: "latency"; ms: number }
  | { cmd: "counts" }
  | { cmd: "reset" }
  | { cmd: "close" };

const emu = await startEmulator({ port: 0, host: "127.0.0.1", lsLimit: 1000 });
const send = (m: unknown) => process.send!(m);

function build(shape: Shape, root: string, groups: string[]): number {
  const fs = emu.fs;
  const spec = (dir: boolean) =>
    groups.flatMap((g) => [`group:${g}:r-x`, ...(dir ? [`default:group:${g}:r-x`] : [])]).join(",");
  let paths = 0;
  fs.mkdirs(root);
  for (let d = 0; d < shape.databases; d++) {
    const db = `${root}/db${d}.db`;
    fs.mkdirs(db);
    if (groups.length) fs.modifyAclEntries(db, spec(true));
    paths++;
    for (let t = 0; t < shape.tablesPerDb; t++) {
      const table = `${db}/t${t}`;
      fs.mkdirs(table);
      if (groups.length) fs.modifyAclEntries(table, spec(true));
      paths++;
      for (let f = 0; f < shape.filesPerTable; f++) {
        const leafDir = shape.leaf === "dir";
        const leaf = `${table}/${leafDir ? partitionName(f) : fileName(f)}`;
        if (leafDir) fs.mkdirs(leaf);
        else fs.create(leaf);
        if (groups.length) fs.modifyAclEntries(leaf, spec(leafDir));
        paths++;
      }
    }
  }
  return paths;
}

process.on("message", (m: ChildRequest) => {
  switch (m.cmd) {
    case "build":
      return send({ paths: build(m.shape, m.root, m.groups) });
    case "latency":
      emu.setFaults({ latencyMs: m.ms });
      return send({ ok: true });
    case "counts":
      return send({ counts: emu.counts() });
    case "reset":
      emu.resetCounts();
      return send({ ok: true });
    case "close":
      void emu.close().then(() => process.exit(0));
  }
});
send({ url: emu.url });
