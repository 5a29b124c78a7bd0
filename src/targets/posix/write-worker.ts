// The POSIX write thread: runs the batches write-thread.ts sends (write-jobs.ts), one at a time.

import { parentPort } from "node:worker_threads";
import { runWriteJobs, type WriteJobs } from "./write-jobs.ts";

interface Batch {
  jobs: WriteJobs;
  count: number;
  /** Encodings the thread has not seen yet, appended to its table in order. */
  added: Uint8Array[];
}

const encodings: Buffer[] = [];

parentPort!.on("message", (batch: Batch) => {
  for (const bytes of batch.added)
    encodings.push(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  const results = runWriteJobs(batch.jobs, batch.count, encodings);
  parentPort!.postMessage(results, [results.status.buffer as ArrayBuffer, results.op.buffer as ArrayBuffer]);
});
