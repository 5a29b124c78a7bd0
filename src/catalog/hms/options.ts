// How to reach a Hive Metastore database and what to read from it; the config file maps onto this.

import type { DbConnection } from "../../db/connection.ts";

export interface HmsCatalogSource extends DbConnection {
  type: "hms";
  /** Hive 3.x catalog name; only this catalog is read. */
  catalogName: string;
  /** Rows per page when reading large metastores. */
  pageSize: number;
}
