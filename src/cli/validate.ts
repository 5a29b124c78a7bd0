// `grantsync validate`: checks the policy (and, with --config, the locations and config) and
// lists every error as FILE:LINE: CODE message. Exit 0 when valid, 1 otherwise.

import type { Principal } from "../acl/principal.ts";
import type { DesiredState } from "../compile/model.ts";
import { desiredNotices } from "../compile/notices.ts";
import { desiredPrincipals } from "../compile/principals.ts";
import { checkEnvironment } from "../config/environment.ts";
import type { Config } from "../config/types.ts";
import { type Diagnostic, GsError } from "../errors.ts";
import { formatSource, type Grant } from "../policy/model.ts";
import { aboveRootProblems } from "../reconcile/above-roots.ts";
import { colourEnabled, makeStyle, plural } from "../report/style.ts";
import { renderDiagnostics, renderGrantNotes } from "../report/text.ts";
import { compileFor } from "../session/compile.ts";
import { createTarget } from "../session/target.ts";
import { loadModel, loadPolicy, type Model } from "../sources/load.ts";
import { CliExit, printJson, stdoutStyle } from "./common.ts";
import { readCliConfig } from "./load-config.ts";

interface ValidateOptions {
  config?: string;
  strict?: boolean;
  policy?: string;
  server?: string;
  json?: boolean;
}

export async function validate(opts: ValidateOptions): Promise<void> {
  if (opts.policy) return validatePolicyFile(opts, opts.policy);
  const check = await readCliConfig(opts.config);
  const config = check.config;
  const errors = [...check.errors, ...(config ? checkEnvironment(config) : [])];
  const load = config ? await loadModel(config) : { errors: [], warnings: [], model: undefined };
  errors.push(...load.errors);
  const warnings = [...load.warnings];
  const compiled = config && load.model ? await compileOnTarget(config, load.model) : undefined;
  if (config && compiled) {
    warnings.push(...desiredNotices(compiled.desired).warnings);
    (config.target.unknownPrincipal === "error" ? errors : warnings).push(...compiled.unknown);
    warnings.push(...compiled.above);
  }
  if (opts.strict) errors.push(...warnings.splice(0).map((w) => ({ ...w, severity: "error" as const })));
  const model =
    compiled && load.model
      ? { desired: compiled.desired, grants: load.model.policy.grants.length }
      : undefined;
  if (opts.json)
    printJson({ valid: errors.length === 0, errors, warnings, ...(model ? modelSummary(model) : {}) });
  else printValidation(errors, warnings, model);
  if (errors.length > 0) throw new CliExit(1);
}

/** `validate --policy FILE --server NAME`: one policy file alone, without a config. */
async function validatePolicyFile(opts: ValidateOptions, file: string): Promise<void> {
  if (!opts.server) throw new GsError("GS_USAGE", "--policy needs --server NAME");
  const config = { policy: { type: "file", file, server: opts.server } } as Config;
  const r = await loadPolicy(config);
  const valid = r.errors.length === 0;
  if (opts.json)
    printJson({ valid, errors: r.errors, warnings: r.warnings, grants: r.policy?.grants.length ?? 0 });
  else {
    process.stdout.write(renderDiagnostics(r.errors, r.warnings, stdoutStyle()));
    process.stdout.write(
      valid
        ? `${file}: valid, ${plural(r.policy!.grants.length, "grant")}\n`
        : `${plural(r.errors.length, "error")}\n`,
    );
  }
  if (!valid) throw new CliExit(1);
}

interface ModelFacts {
  desired: DesiredState;
  grants: number;
}

function modelSummary({ desired, grants }: ModelFacts) {
  return {
    grants,
    objects: desired.objects.size,
    locations: desired.contexts.size,
    ignoredLocations: desired.ignoredLocations.map((l) => ({
      uri: l.uri,
      object: l.object,
      reason: l.reason,
      source: formatSource(l.location.source),
    })),
    ignoredGrants: desired.ignoredGrants.map((g) => ({
      privilege: g.grant.privilege.text,
      role: g.grant.role,
      reason: g.reason,
      source: formatSource(g.grant.privilege.source),
    })),
  };
}

function printValidation(errors: Diagnostic[], warnings: Diagnostic[], model: ModelFacts | undefined): void {
  process.stdout.write(renderDiagnostics(errors, warnings, stdoutStyle()));
  if (model) {
    const { desired, grants } = model;
    process.stderr.write(renderGrantNotes(desired, makeStyle(colourEnabled(process.stderr))));
    if (errors.length === 0)
      process.stdout.write(
        `valid: ${plural(grants, "grant")}, ${plural(desired.objects.size, "object")}, ${plural(desired.contexts.size, "managed location")}\n`,
      );
  }
  if (errors.length > 0)
    process.stdout.write(`${plural(errors.length, "error")}; nothing would be changed\n`);
}

/** The desired ACLs for the configured target, and the principals they name that it does not know. */
async function compileOnTarget(
  config: Config,
  model: Model,
): Promise<{ desired: DesiredState; unknown: Diagnostic[]; above: Diagnostic[] }> {
  const target = await createTarget(config);
  try {
    const desired = compileFor(config, model, target);
    const unknown = await target.unknownPrincipals(desiredPrincipals(desired));
    const skip = new Set(unknown.map((p) => `${p.kind}:${p.name}`));
    const above = await aboveRootProblems(target, desired, config.target.roots, skip);
    return {
      desired,
      unknown: unknown.map((p) => unknownPrincipal(config, model.policy.grants, p)),
      above: above.map(
        (w): Diagnostic => ({
          severity: "warning",
          code: w.code,
          file: w.path ?? "",
          message: `${w.message} [${(w.principals ?? []).join(", ")}]`,
        }),
      ),
    };
  } finally {
    await target.close();
  }
}

/** An unknown principal, with the roles and the first source naming it. */
function unknownPrincipal(config: Config, grants: readonly Grant[], p: Principal): Diagnostic {
  const from = grants.filter((g) => g.principal.kind === p.kind && g.principal.name === p.name);
  const roles = [...new Set(from.map((g) => g.role))].join(", ");
  const source = from[0] ? from[0].via : undefined;
  return {
    severity: config.target.unknownPrincipal === "error" ? "error" : "warning",
    code: "GS_PRINCIPAL_UNKNOWN",
    message: `${p.kind} ${p.name} does not exist on this host (role ${roles}); [target] unknown_principal = ${config.target.unknownPrincipal}`,
    ...(source
      ? {
          file: source.row ? formatSource(source) : source.file,
          ...(source.line && !source.row ? { line: source.line } : {}),
        }
      : {}),
  };
}
