// Follows the metastore's NOTIFICATION_LOG so a daemon sees table and partition moves within a poll,
// falling back to a full snapshot whenever the event stream cannot be trusted (gap, reset, bad message).

import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { type DbSession, openReadOnly } from "../../db/connection.ts";
import type { Catalog } from "../model.ts";
import { CatalogIndex } from "./catalog-index.ts";
import { applyEvent, type EventRow } from "./events.ts";
import { UndecodableMessage } from "./messages.ts";
import type { HmsCatalogSource } from "./options.ts";
import { currentEventId, detectSchema, type HmsSchema, hmsSourceName, readHmsSnapshot } from "./snapshot.ts";

export interface HmsPollResult {
  catalog: Catalog;
  /** Databases (`db`) and tables (`db.table`) whose locations may have changed in this poll. */
  touched: Set<string>;
  /** True when the catalog was re-read in full rather than updated from events. */
  full: boolean;
  lastEventId: number;
  /** Why a full snapshot was taken, when it was. */
  reason?: string;
}

interface PersistedState {
  source: string;
  catalogName: string;
  lastEventId: number;
}

export class HmsFollower {
  private index?: CatalogIndex;
  private catalog?: Catalog;
  private schema?: HmsSchema;
  private lastEventId?: number;
  private stateLoaded = false;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly source: string;

  /**
   * @param resume the catalog a previous process built (for example the daemon's last good one); with
   *   the event id persisted in `stateFile`, the first poll continues from events instead of re-reading.
   */
  constructor(
    private readonly cfg: HmsCatalogSource,
    private readonly stateFile: string,
    resume?: Catalog,
  ) {
    this.source = hmsSourceName(cfg);
    if (resume) this.index = CatalogIndex.fromCatalog(resume);
  }

  /** Polls are serialized: a second call waits for the first, so events are never applied twice. */
  poll(): Promise<HmsPollResult> {
    const p = this.queue.then(() => this.pollOnce());
    this.queue = p.catch(() => {});
    return p;
  }

  private async pollOnce(): Promise<HmsPollResult> {
    if (!this.stateLoaded) await this.loadState();
    if (!this.index || this.lastEventId === undefined) return this.full("no previous state");
    const index = this.index;
    let last = this.lastEventId;
    const touched = new Set<string>();
    const s = await openReadOnly(this.cfg);
    let reason: string | undefined;
    try {
      this.schema ??= await detectSchema(s);
      const schema = this.schema;
      if (!schema.notifications) {
        reason = "the metastore has no NOTIFICATION_LOG";
      } else if ((await currentEventId(s, schema)) < last) {
        reason = `the metastore's event id went back below ${last} (reset or restore)`;
      } else {
        reason = await this.readEvents(s, schema, index, touched, last, (id) => {
          last = id;
        });
      }
    } catch (err) {
      // A half-applied batch would leave the index between two states; re-read it next time.
      this.index = undefined;
      throw err;
    } finally {
      await s.close();
    }
    if (reason) return this.full(reason);
    if (touched.size > 0 || !this.catalog) this.catalog = index.toCatalog([this.source]);
    if (last !== this.lastEventId) {
      this.lastEventId = last;
      await this.saveState();
    }
    return { catalog: this.catalog, touched, full: false, lastEventId: last };
  }

  /** Reads events after `from` page by page; returns a reason to re-snapshot, or undefined. */
  private async readEvents(
    s: DbSession,
    schema: HmsSchema,
    index: CatalogIndex,
    touched: Set<string>,
    from: number,
    advance: (id: number) => void,
  ): Promise<string | undefined> {
    const size = Math.max(1, Math.floor(this.cfg.pageSize));
    const cols = [
      `"EVENT_ID"`,
      `"EVENT_TYPE"`,
      `"DB_NAME"`,
      `"TBL_NAME"`,
      `"MESSAGE"`,
      ...(schema.catalogs ? [`"CAT_NAME"`] : []),
      ...(schema.messageFormat ? [`"MESSAGE_FORMAT"`] : []),
    ].join(", ");
    let last = from;
    for (;;) {
      const rows = (await s.query(
        `SELECT ${cols} FROM "NOTIFICATION_LOG" WHERE "EVENT_ID" > ? ORDER BY "EVENT_ID", "NL_ID" LIMIT ?`,
        [last, size],
      )) as unknown as EventRow[];
      for (const row of rows) {
        const id = Number(row.EVENT_ID);
        // Ids are handed out in order under a row lock, so a hole means the cleaner removed events we missed.
        if (id > last + 1)
          return `event ${last + 1} is missing (next is ${id}); the log was cleaned or skipped`;
        try {
          await applyEvent({ s, cfg: this.cfg, schema, index, touched }, row);
        } catch (err) {
          if (err instanceof UndecodableMessage) {
            return `event ${id} (${row.EVENT_TYPE}) cannot be decoded: ${err.message}`;
          }
          throw err;
        }
        last = id;
        advance(id);
      }
      if (rows.length < size) return undefined;
    }
  }

  private async full(reason: string): Promise<HmsPollResult> {
    const { index, eventId, schema } = await readHmsSnapshot(this.cfg);
    const touched = this.index ? diff(this.index, index) : allNames(index);
    this.index = index;
    this.schema = schema;
    this.catalog = index.toCatalog([this.source]);
    this.lastEventId = eventId;
    await this.saveState();
    return { catalog: this.catalog, touched, full: true, lastEventId: eventId, reason };
  }

  private async loadState(): Promise<void> {
    this.stateLoaded = true;
    let st: Partial<PersistedState>;
    try {
      st = JSON.parse(await readFile(this.stateFile, "utf8")) as Partial<PersistedState>;
    } catch {
      return; // No state (or unreadable state): start with a full snapshot.
    }
    if (
      st.source === this.source &&
      st.catalogName === this.cfg.catalogName &&
      Number.isFinite(st.lastEventId)
    ) {
      this.lastEventId = st.lastEventId;
    }
  }

  /** Write-then-rename, so a crash never leaves a torn state file. */
  private async saveState(): Promise<void> {
    const st: PersistedState = {
      source: this.source,
      catalogName: this.cfg.catalogName,
      lastEventId: this.lastEventId ?? 0,
    };
    await mkdir(dirname(this.stateFile), { recursive: true });
    const tmp = `${this.stateFile}.${process.pid}.tmp`;
    await writeFile(tmp, `${JSON.stringify(st)}\n`, { mode: 0o600 });
    await rename(tmp, this.stateFile);
  }
}

function allNames(ix: CatalogIndex): Set<string> {
  return new Set([...ix.dbs.keys(), ...ix.tables.keys()]);
}

/** Names whose locations differ between two indexes, so a re-snapshot still tells the caller what moved. */
function diff(a: CatalogIndex, b: CatalogIndex): Set<string> {
  const out = new Set<string>();
  for (const name of new Set([...a.dbs.keys(), ...b.dbs.keys()])) {
    if (a.dbs.get(name)?.uri !== b.dbs.get(name)?.uri || a.dbs.has(name) !== b.dbs.has(name)) out.add(name);
  }
  const key = (ix: CatalogIndex, k: string) => {
    const t = ix.tables.get(k);
    if (!t) return undefined;
    const parts = [...t.partitions.entries()].map(([n, l]) => `${n}\0${l.uri}`).sort();
    return JSON.stringify([t.location?.uri ?? null, parts]);
  };
  for (const k of new Set([...a.tables.keys(), ...b.tables.keys()])) {
    if (key(a, k) !== key(b, k)) out.add(k);
  }
  return out;
}
