// The problems a policy file can have are the GS_POLICY_ codes of the one catalog (error-codes.ts),
// which fixes each one's severity, so the parser, the validators and `grantsync validate` agree on
// what is fatal and what is only a warning.

import { type Diagnostic, type FileProblemCode, severityOf } from "../errors.ts";

export type PolicyCode = Extract<FileProblemCode, `GS_POLICY_${string}`>;

/** A problem found before its file and line are known (privilege parsing works on text alone). */
export interface Finding {
  code: PolicyCode;
  message: string;
}

export function policyDiagnostic(code: PolicyCode, message: string, file: string, line?: number): Diagnostic {
  return { severity: severityOf(code), code, message, file, ...(line ? { line } : {}) };
}
