import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { entry } from "../../src/acl/entry.ts";
import type { DesiredState, LocationContext } from "../../src/compile/model.ts";
import { changedContexts } from "../../src/reconcile/incremental.ts";

const staffRead = [entry("access", "group", "staff", 5), entry("default", "group", "staff", 5)];
const usersAll = [entry("access", "group", "users", 7), entry("default", "group", "users", 7)];

function ctx(path: string, objects: string[], dir: LocationContext["dir"], file = dir): LocationContext {
  return { path, objects, locations: [], dir, file };
}

function state(...contexts: LocationContext[]): DesiredState {
  return {
    objects: new Map(),
    contexts: new Map(contexts.map((c) => [c.path, c])),
    ignoredGrants: [],
    ignoredLocations: [],
  };
}

describe("changedContexts", () => {
  const db = ctx("/wh/sales.db", ["sales"], staffRead);
  const orders = ctx("/wh/sales.db/orders", ["sales.orders"], [...staffRead, ...usersAll]);
  const part = ctx("/wh/archive/orders/p1", ["sales.orders"], [...staffRead, ...usersAll]);

  it("is empty when nothing changed, whatever the entries' order", () => {
    const reordered = ctx(orders.path, orders.objects, [...orders.dir].reverse(), [...orders.file].reverse());
    assert.deepEqual(changedContexts(state(db, orders, part), state(db, reordered, part)), new Set());
  });

  it("names every location whose directory or file entries changed", () => {
    const narrowed = [...staffRead, entry("access", "group", "users", 5)];
    const next = state(
      db,
      ctx(orders.path, orders.objects, narrowed),
      ctx(part.path, part.objects, part.dir, narrowed),
    );
    assert.deepEqual(changedContexts(state(db, orders, part), next), new Set([orders.path, part.path]));
  });

  it("names a location whose objects changed even when its entries did not", () => {
    const shared = ctx(db.path, ["sales", "sales.legacy"], staffRead);
    assert.deepEqual(changedContexts(state(db, orders), state(shared, orders)), new Set([db.path]));
  });

  it("names locations that appear or disappear", () => {
    assert.deepEqual(changedContexts(state(db, orders), state(db, part)), new Set([orders.path, part.path]));
  });

  it("names every location when there is no previous state", () => {
    assert.deepEqual(changedContexts(undefined, state(db, orders)), new Set([db.path, orders.path]));
  });

  it("treats a duplicated entry as different from a distinct one", () => {
    const a = ctx(db.path, ["sales"], [staffRead[0]!, staffRead[0]!]);
    assert.deepEqual(changedContexts(state(db), state(a)), new Set([db.path]));
  });
});
