// Caches keyed by object identity, held weakly: an entry lives as long as its keys do, so a cache
// of results per decoded ACL or per desired-entries array never outlives the objects it describes.

/** `compute` once per key object. A result of `undefined` is not cached. */
export function memo<K extends object, V>(compute: (key: K) => V): (key: K) => V {
  const cache = new WeakMap<K, V>();
  return (key) => {
    let value = cache.get(key);
    if (value === undefined) {
      value = compute(key);
      cache.set(key, value);
    }
    return value;
  };
}

/** `compute` once per (a, b) pair of key objects. A result of `undefined` is not cached. */
export function memo2<A extends object, B extends object, V>(compute: (a: A, b: B) => V): (a: A, b: B) => V {
  const byA = new WeakMap<A, WeakMap<B, V>>();
  return (a, b) => {
    let byB = byA.get(a);
    if (!byB) {
      byB = new WeakMap();
      byA.set(a, byB);
    }
    let value = byB.get(b);
    if (value === undefined) {
      value = compute(a, b);
      byB.set(b, value);
    }
    return value;
  };
}
