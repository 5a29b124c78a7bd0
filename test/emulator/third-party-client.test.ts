// A WebHDFS client grantsync does not own (the `webhdfs` npm package) against the emulator: it
// follows the NameNode's 307 to the DataNode for writes and reads, and understands the answers.

import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { describe, it } from "node:test";
import { useEmulator } from "./helpers.ts";

type Done<T = void> = (err: Error | null, value?: T) => void;
interface FileStatus {
  pathSuffix: string;
  type: string;
  length: number;
  owner: string;
  permission: string;
}
interface WebhdfsClient {
  mkdir(path: string, done: Done): void;
  writeFile(path: string, data: string, done: Done): void;
  appendFile(path: string, data: string, done: Done): void;
  readFile(path: string, done: Done<Buffer>): void;
  rename(path: string, destination: string, done: Done): void;
  readdir(path: string, done: Done<FileStatus[]>): void;
  stat(path: string, done: Done<FileStatus>): void;
}
type CreateClient = (opts: { user: string; host: string; port: number; path: string }) => WebhdfsClient;

/** A devDependency: `npm ci` installs it; a node_modules shared from before it was added may lack it. */
function loadWebhdfs(): CreateClient | undefined {
  try {
    return (createRequire(import.meta.url)("webhdfs") as { createClient: CreateClient }).createClient;
  } catch {
    return undefined;
  }
}
const createClient = loadWebhdfs();

/** The package's callback API as promises. */
function call<T = void>(f: (done: Done<T>) => void): Promise<T> {
  return new Promise((resolve, reject) => f((err, value) => (err ? reject(err) : resolve(value as T))));
}

const skip = createClient ? false : "the webhdfs devDependency is not installed: run npm ci";

describe("the webhdfs npm package against the emulator", { skip }, () => {
  const t = useEmulator();
  const client = () =>
    createClient!({ user: "hdfs", host: "127.0.0.1", port: t.emu.port, path: "/webhdfs/v1" });

  it("creates a directory, writes, appends and reads a file through the DataNode", async () => {
    const hdfs = client();
    await call((d) => hdfs.mkdir("/npm/in", d));
    await call((d) => hdfs.writeFile("/npm/in/hello.txt", "Hello, HDFS!\n", d));
    await call((d) => hdfs.appendFile("/npm/in/hello.txt", "Again.\n", d));
    const data = await call<Buffer>((d) => hdfs.readFile("/npm/in/hello.txt", d));
    assert.equal(data.toString("utf8"), "Hello, HDFS!\nAgain.\n");
    const counts = t.emu.counts();
    assert.equal(counts.CREATE, 1, "one CREATE at the NameNode, the bytes went to the DataNode");
    assert.equal(t.emu.fs.getFileStatus("/npm/in/hello.txt").owner, "hdfs");
  });

  it("renames and lists, and reports a missing path as an error", async () => {
    const hdfs = client();
    await call((d) => hdfs.rename("/npm/in/hello.txt", "/npm/in/renamed.txt", d));
    const listing = await call<FileStatus[]>((d) => hdfs.readdir("/npm/in", d));
    assert.deepEqual(
      listing.map((s) => [s.pathSuffix, s.type, s.length]),
      [["renamed.txt", "FILE", 20]],
    );
    const st = await call<FileStatus>((d) => hdfs.stat("/npm/in", d));
    assert.equal(st.type, "DIRECTORY");
    await assert.rejects(
      call((d) => hdfs.stat("/npm/missing", d)),
      /File does not exist: \/npm\/missing/,
    );
  });
});
