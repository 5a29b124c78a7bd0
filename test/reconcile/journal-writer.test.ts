// A journal closed while its batches are still on their way to disk (a run that stopped with visits
// pending): it waits for every batch, the one staged behind the batch in flight included, so no
// batch is written through an fd it has closed.

import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parseAclSpec } from "../../src/acl/spec.ts";
import { JournalWriter, newRunId } from "../../src/reconcile/journal-writer.ts";

const BEFORE = parseAclSpec("user::rw-,group::r--,other::---");
const AFTER = parseAclSpec("user::rw-,group::r--,group:staff:r--,mask::r--,other::---");
/** journal-writer.ts MAX_BATCH: the path that fills a batch sends it to disk at once. */
const BATCH = 1024;

describe("closing a journal with batches in flight", () => {
  it("waits for the batch staged behind the one in flight: its paths are durable, not refused", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gs-journal-"));
    try {
      const run = newRunId();
      const journal = new JournalWriter(dir, { run, kind: "apply", target: "test" });
      const stage = (path: string) => journal.intend(path, "file", BEFORE, AFTER);
      const inFlight = Array.from({ length: BATCH }, (_, i) => stage(`/w/a${i}`));
      const behind = stage("/w/behind");
      await journal.close();
      await Promise.all(inFlight);
      await behind;
      const text = readFileSync(join(dir, `${run}.jsonl`), "utf8");
      assert.ok(text.includes('"/w/behind"'), "the batch behind is in the journal");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
