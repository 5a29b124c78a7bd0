// A process contending for the state lock (test/reconcile/lock.test.ts): it takes the lock ROUNDS
// times, retrying while another holds it, and logs `+ID` on entry and `-ID` on leaving.

import { appendFileSync } from "node:fs";
import { isGsError } from "../../src/errors.ts";
import { acquireLock } from "../../src/reconcile/lock.ts";

const [dir, log, id, rounds] = process.argv.slice(2) as [string, string, string, string];
for (let i = 0; i < Number(rounds); ) {
  let lock: ReturnType<typeof acquireLock>;
  try {
    lock = acquireLock(dir, `contender ${id}`);
  } catch (err) {
    if (isGsError(err, "GS_LOCKED")) continue;
    throw err;
  }
  appendFileSync(log, `+${id}\n`);
  // Held across a few milliseconds of work, so another holder would have time to slip in.
  const until = Date.now() + 2;
  while (Date.now() < until);
  appendFileSync(log, `-${id}\n`);
  lock.release();
  i++;
}
