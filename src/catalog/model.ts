// The catalog model every location source produces (locations file, Hive Metastore DB):
// databases and tables with the raw location URIs they occupy, each with its source.

import type { Diagnostic } from "../errors.ts";
import type { SourceRef } from "../policy/model.ts";

export type LocationKind = "database" | "table" | "partition";

export interface RawLocation {
  /** As found: `/srv/wh/sales.db`, `file:///srv/wh/x`, `hdfs://nn:8020/warehouse/x`. */
  uri: string;
  kind: LocationKind;
  /** Partition name such as `dt=2024-01-01`, when kind is partition. */
  partition?: string;
  source: SourceRef;
}

export interface CatalogDatabase {
  /** Lower-cased. */
  name: string;
  locations: RawLocation[];
}

export interface CatalogTable {
  /** Lower-cased. */
  db: string;
  /** Lower-cased. */
  name: string;
  /** The table's own location plus every partition's. Views have none. */
  locations: RawLocation[];
}

export interface Catalog {
  databases: CatalogDatabase[];
  tables: CatalogTable[];
  /** Files or tables read, for watching and for messages. */
  sources: string[];
}

export interface CatalogLoadResult {
  catalog?: Catalog;
  errors: Diagnostic[];
  warnings: Diagnostic[];
  sources: string[];
}

export function tableObjectName(db: string, table: string): string {
  return `${db}.${table}`;
}
