// One writer per state: apply and undo run under the writer lease, taken here unless the caller
// (a daemon that leads) already holds it, and released when they end.

import { GsError } from "../errors.ts";
import type { StateStore, WriterLease } from "../state/store.ts";

export async function withWriter<T>(
  store: StateStore,
  purpose: string,
  held: WriterLease | undefined,
  fn: (lease: WriterLease) => Promise<T>,
): Promise<T> {
  if (held) return fn(held);
  const got = await store.tryAcquireWriter(purpose);
  if (!("epoch" in got)) {
    throw new GsError("GS_LOCKED", `the state is locked by ${got.holder}`, { location: store.where });
  }
  try {
    return await fn(got);
  } finally {
    await got.release();
  }
}
