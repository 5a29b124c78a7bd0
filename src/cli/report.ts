// `grantsync report --html FILE`: the self-contained HTML page (matrix with filters, drift per
// object, last runs, ignored grants, unknown principals); `--json` prints the same data.

import { writeFileSync } from "node:fs";
import { GsError } from "../errors.ts";
import { collectReport } from "../report/collect.ts";
import { renderHtmlReport } from "../report/html.ts";
import { closeSession, openSession, printJson } from "./common.ts";

interface ReportOptions {
  config?: string;
  json?: boolean;
  html?: string;
}

export async function report(opts: ReportOptions): Promise<void> {
  if (!opts.html && !opts.json) throw new GsError("GS_USAGE", "report needs --html FILE or --json");
  const { desired, session } = await openSession(opts.config, opts);
  try {
    const data = await collectReport({
      target: session.target,
      targetName: session.targetId,
      desired,
      state: session.store,
    });
    if (opts.html) writeFileSync(opts.html, renderHtmlReport(data));
    if (opts.json) printJson(opts.html ? { written: opts.html, ...data } : data);
    else process.stdout.write(`Wrote ${opts.html}\n`);
  } finally {
    await closeSession(session);
  }
}
