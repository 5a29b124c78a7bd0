// The table of codes docs/ERRORS.md holds, rendered from the catalog. To refresh the doc:
//   node --import tsx -e 'import("./test/helpers/error-table.ts").then((m) => console.log(m.catalogTable()))'

import { ERROR_CODES } from "../../src/errors.ts";

const escapeCell = (text: string) => text.replace(/\|/g, "\\|");

export function catalogTable(): string {
  const rows = Object.entries(ERROR_CODES).map(([code, info]) => {
    const severity = "severity" in info ? info.severity : "";
    const family = "family" in info ? ` Family: \`${info.family}\`.` : "";
    return `| \`${code}\` | ${severity} | ${escapeCell(info.hint)}${family} |`;
  });
  return ["| Code | In a file | Meaning and what to do |", "| --- | --- | --- |", ...rows].join("\n");
}
