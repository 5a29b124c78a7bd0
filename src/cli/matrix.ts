// `grantsync access --matrix`: principals × objects, desired against actual, one page at a time,
// as text, JSON or CSV.

import { GsError } from "../errors.ts";
import { readMatrix } from "../report/collect.ts";
import { renderMatrix, renderMatrixCsv } from "../report/matrix-text.ts";
import { openSession, printJson, stdoutStyle } from "./common.ts";

export interface MatrixOptions {
  config?: string;
  json?: boolean;
  csv?: boolean;
  principal?: string;
  object?: string;
  page: string;
  pageSize: string;
}

function positive(text: string, option: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1)
    throw new GsError("GS_USAGE", `${option} must be a positive integer`, { input: text });
  return n;
}

export async function matrix(opts: MatrixOptions): Promise<void> {
  const page = positive(opts.page, "--page");
  const pageSize = positive(opts.pageSize, "--page-size");
  if (opts.json && opts.csv) throw new GsError("GS_USAGE", "choose one of --json and --csv");
  const { desired, session } = await openSession(opts.config, opts);
  try {
    const m = await readMatrix(session.target, desired, {
      page,
      pageSize,
      ...(opts.principal === undefined ? {} : { principal: opts.principal }),
      ...(opts.object === undefined ? {} : { object: opts.object }),
    });
    if (opts.json) printJson(m);
    else if (opts.csv) process.stdout.write(renderMatrixCsv(m));
    else process.stdout.write(renderMatrix(m, stdoutStyle()));
  } finally {
    await session.target.close();
  }
}
