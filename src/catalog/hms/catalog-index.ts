// The mutable, keyed form of a metastore catalog that the snapshot fills and the event follower edits;
// it turns into the plain Catalog model on demand.

import type { Catalog, RawLocation } from "../model.ts";
import { tableObjectName } from "../model.ts";

export interface TableEntry {
  db: string;
  name: string;
  location?: RawLocation;
  /** Partition name (`dt=2024-01-01`) → its location. */
  partitions: Map<string, RawLocation>;
}

export class CatalogIndex {
  readonly dbs = new Map<string, RawLocation | undefined>();
  /** Keyed by `db.table`. */
  readonly tables = new Map<string, TableEntry>();

  table(db: string, name: string): TableEntry | undefined {
    return this.tables.get(tableObjectName(db, name));
  }

  setTable(t: TableEntry): void {
    this.tables.set(tableObjectName(t.db, t.name), t);
  }

  deleteTable(db: string, name: string): boolean {
    return this.tables.delete(tableObjectName(db, name));
  }

  /** Tables sorted by name, locations in a stable order, so two reads of the same metastore compare equal. */
  toCatalog(sources: string[]): Catalog {
    const databases = [...this.dbs.entries()]
      .sort(([a], [b]) => cmp(a, b))
      .map(([name, loc]) => ({ name, locations: loc ? [loc] : [] }));
    const tables = [...this.tables.values()]
      .sort((a, b) => cmp(a.db, b.db) || cmp(a.name, b.name))
      .map((t) => ({
        db: t.db,
        name: t.name,
        locations: [
          ...(t.location ? [t.location] : []),
          ...[...t.partitions.entries()].sort(([a], [b]) => cmp(a, b)).map(([, l]) => l),
        ],
      }));
    return { databases, tables, sources: [...sources] };
  }

  /** Rebuilds the index from a catalog this module produced earlier (the daemon's last good one). */
  static fromCatalog(c: Catalog): CatalogIndex {
    const ix = new CatalogIndex();
    for (const d of c.databases) ix.dbs.set(d.name, d.locations[0]);
    for (const t of c.tables) {
      const entry: TableEntry = { db: t.db, name: t.name, partitions: new Map() };
      for (const l of t.locations) {
        if (l.kind === "partition" && l.partition !== undefined) entry.partitions.set(l.partition, l);
        else if (l.kind === "table") entry.location = l;
      }
      ix.setTable(entry);
    }
    return ix;
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
