// How journal and run records map to rows of the state database, and back.

import { GsError } from "../../errors.ts";
import type { JournalChange, JournalEnd, JournalOutcome, JournalStart, RunTrigger } from "../model.ts";
import type { Row } from "./sql.ts";

export const JOURNAL_COLUMNS = "gs_journal (run, t, path, type, before_acl, after_acl, code, message, epoch)";

export function journalRow(run: string, l: JournalChange | JournalOutcome, epoch: number): unknown[] {
  return l.t === "change"
    ? [run, l.t, l.path, l.type, JSON.stringify(l.before), JSON.stringify(l.after), null, null, epoch]
    : [run, l.t, l.path, null, null, null, l.code ?? null, l.message ?? null, epoch];
}

export function lineOf(r: Row, where: string): JournalChange | JournalOutcome {
  if (r.t === "change") {
    return {
      t: "change",
      path: r.path!,
      type: r.type as JournalChange["type"],
      before: json(r.before_acl, where),
      after: json(r.after_acl, where),
    };
  }
  return {
    t: r.t as JournalOutcome["t"],
    path: r.path!,
    ...(r.code ? { code: r.code } : {}),
    ...(r.message ? { message: r.message } : {}),
  };
}

export function startOf(r: Row): JournalStart {
  return {
    t: "start",
    run: r.run!,
    kind: r.kind as JournalStart["kind"],
    time: r.started!,
    target: r.target!,
    ...(r.of_run ? { of: r.of_run } : {}),
    ...(r.user_name ? { user: r.user_name } : {}),
    ...(r.trigger_kind ? { trigger: r.trigger_kind as RunTrigger } : {}),
  };
}

export function endOf(r: Row, where: string): JournalEnd | undefined {
  return r.ended ? { t: "end", time: r.ended, summary: json(r.summary, where) } : undefined;
}

export function json<T>(text: string | null | undefined, where: string): T {
  try {
    return JSON.parse(text ?? "") as T;
  } catch (err) {
    throw new GsError("GS_STATE", `a state row is not JSON: ${(err as Error).message}`, { location: where });
  }
}
