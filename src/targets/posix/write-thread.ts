// One worker thread that makes the system calls of many POSIX writes (write-jobs.ts) while the main
// thread walks on: batches go one at a time, in order, and each answers with one status per job.
// The fds stay the walk's: the caller keeps every node of a batch held until the batch answered.

import { Worker } from "node:worker_threads";
import { GsError } from "../../errors.ts";
import type { WriteJobs, WriteResults } from "./write-jobs.ts";

/** Distinct encodings the thread keeps; past this, the caller writes on the main thread. */
const TABLE_MAX = 10_000;

// Built, the worker is write-worker.js beside this module. Under tsx (the tests run the sources)
// it is write-worker.ts, loaded once tsx's loader is registered in the worker: `--import tsx` in
// execArgv registers it too late for the worker's own entry module.
const FROM_SOURCE = import.meta.url.endsWith(".ts");

function startWorker(): Worker {
  if (!FROM_SOURCE) return new Worker(new URL("./write-worker.js", import.meta.url));
  const api = import.meta.resolve("tsx/esm/api");
  const entry = new URL("./write-worker.ts", import.meta.url).href;
  const boot = `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(boot, { eval: true });
}

export class WriteThread {
  private worker: Worker | undefined;
  private readonly waiting: { resolve(r: WriteResults): void; reject(e: GsError): void }[] = [];
  /** Encodings by identity (nodes share their `next` ACL's), and how many the thread has. */
  private readonly known = new Map<Buffer, number>();
  private table: Buffer[] = [];
  private sent = 0;

  /** The index of `bytes` in the thread's table, or -1 when the table is full. */
  index(bytes: Buffer): number {
    let i = this.known.get(bytes);
    if (i === undefined) {
      if (this.table.length >= TABLE_MAX) return -1;
      i = this.table.length;
      this.table.push(bytes);
      this.known.set(bytes, i);
    }
    return i;
  }

  /** Runs the first `count` jobs; rejects (GS_TARGET_IO) only if the thread itself fails. */
  run(jobs: WriteJobs, count: number): Promise<WriteResults> {
    const worker = this.worker ?? this.start();
    const added = this.table.slice(this.sent).map((b) => new Uint8Array(b));
    this.sent = this.table.length;
    // Referenced while a batch is out: an unreferenced worker would let the process exit under it.
    worker.ref();
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      worker.postMessage({ jobs, count, added });
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  private start(): Worker {
    const worker = startWorker();
    worker.on("message", (results: WriteResults) => {
      const batch = this.waiting.shift();
      if (this.waiting.length === 0) worker.unref();
      batch?.resolve(results);
    });
    // A thread that fails leaves its batch's writes unknown: the caller records no outcome for
    // them (undo re-checks such paths) and the next batch starts a new thread with a new table.
    const failed = (why: string) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.known.clear();
      this.table = [];
      this.sent = 0;
      const err = new GsError("GS_TARGET_IO", `the POSIX write thread stopped: ${why}`);
      for (const batch of this.waiting.splice(0)) batch.reject(err);
    };
    worker.on("error", (err) => failed(err.message));
    worker.on("exit", (code) => failed(`exit code ${code}`));
    worker.unref();
    this.worker = worker;
    return worker;
  }
}
