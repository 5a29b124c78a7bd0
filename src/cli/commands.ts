// Every command with its description, arguments and options, so `--help` and usage errors need no
// command's code; a command's module (and all it imports) is loaded only when that command runs.

import type { Command } from "commander";
import { CONFIG_HELP } from "./config-file.ts";

/** A command's implementation: its arguments, then its options, as the declaration below gives them. */
type Action = (...args: never[]) => Promise<void>;

/** The one place a command meets its module: imported when the command runs, not at start-up. */
const ACTIONS = {
  validate: () => import("./validate.ts").then((m) => m.validate),
  explain: () => import("./explain.ts").then((m) => m.explain),
  access: () => import("./access.ts").then((m) => m.accessCommand),
  plan: () => import("./plan.ts").then((m) => m.plan),
  apply: () => import("./apply.ts").then((m) => m.apply),
  undo: () => import("./undo.ts").then((m) => m.undo),
  runs: () => import("./undo.ts").then((m) => m.runs),
  report: () => import("./report.ts").then((m) => m.report),
  daemon: () => import("./daemon.ts").then((m) => m.daemon),
  "state upgrade": () => import("./state.ts").then((m) => m.upgrade),
  "state export": () => import("./state.ts").then((m) => m.exportState),
  "state import": () => import("./state.ts").then((m) => m.importState),
} satisfies Record<string, () => Promise<Action>>;

function run(command: keyof typeof ACTIONS): (...args: unknown[]) => Promise<void> {
  return async (...args) => {
    const action = (await ACTIONS[command]()) as (...args: unknown[]) => Promise<void>;
    return action(...args);
  };
}

export function registerCommands(program: Command): void {
  registerChecks(program);
  registerChanges(program);
  registerService(program);
}

/** The commands that only read: validate, explain, access. */
function registerChecks(program: Command): void {
  program
    .command("validate")
    .description("check the policy and locations; list every error as FILE:LINE")
    .option("-c, --config <file>", CONFIG_HELP)
    .option("--policy <file>", "a Sentry policy file to check on its own")
    .option("--server <name>", "the Sentry server name grants must match (with --policy)")
    .option(
      "--strict",
      "treat warnings (ignored locations, objects without a location, unknown principals) as errors",
    )
    .option("--json", "machine-readable output")
    .action(run("validate"));
  program
    .command("explain")
    .description("show which object a path belongs to and which grants produce its entries")
    .argument("<path>", "a path on the target")
    .option("-c, --config <file>", CONFIG_HELP)
    .option("--json", "machine-readable output")
    .action(run("explain"));
  program
    .command("access")
    .description("show what a user can do on a path, and why, beside what the grants say")
    .argument("[path]", "a path on the target")
    .option("-c, --config <file>", CONFIG_HELP)
    .option("-u, --user <user>", "the user to evaluate")
    .option(
      "-g, --group <group>",
      "a group to evaluate (repeatable); with --user, added to its groups",
      collect,
    )
    .option("--groups <list>", "comma-separated groups, instead of the name service's (required on HDFS)")
    .option("--supergroup <group>", "HDFS superuser group (dfs.permissions.superusergroup)", "supergroup")
    .option("--matrix", "principals × objects, desired against actual")
    .option("--principal <glob>", "matrix: only principals matching (`group:ana*`, `alice`)")
    .option("--object <glob>", "matrix: only objects matching (`sales.*`)")
    .option("--page <n>", "matrix: page number, from 1", "1")
    .option("--page-size <n>", "matrix: objects per page", "50")
    .option("--csv", "matrix: CSV output")
    .option("--json", "machine-readable output")
    .action(run("access"));
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** The commands that change ACLs or show what would change: plan, apply, undo, runs, report. */
function registerChanges(program: Command): void {
  program
    .command("plan")
    .description("show exactly what apply would change (a dry run)")
    .option("-c, --config <file>", CONFIG_HELP)
    .option("--json", "machine-readable output")
    .option("--detailed-exitcode", "exit 0 when nothing would change, 2 when something would, 1 on error")
    .option("--out <file>", "save the plan for `grantsync apply --plan FILE`")
    .option("-v, --verbose", "one line per path")
    .action(run("plan"));
  program
    .command("apply")
    .description("write the changes plan shows; journaled, undoable")
    .option("-c, --config <file>", CONFIG_HELP)
    .option("--plan <file>", "apply exactly this saved plan (refused if the ACLs changed since)")
    .option("--force", "apply even when the circuit breaker would refuse")
    .option("-y, --yes", "do not ask for confirmation")
    .option("--json", "machine-readable output")
    .action(run("apply"));
  program
    .command("undo")
    .description("restore the ACLs a run changed (paths changed since are left alone and reported)")
    .argument("<run>", "a run id, as printed by apply or listed by `grantsync runs`")
    .option("-c, --config <file>", CONFIG_HELP)
    .option("--dry-run", "show what would be restored, change nothing")
    .option("-y, --yes", "do not ask for confirmation")
    .option("--json", "machine-readable output")
    .action(run("undo"));
  program
    .command("runs")
    .description("list the journaled runs")
    .option("-c, --config <file>", CONFIG_HELP)
    .option("--json", "machine-readable output")
    .action(run("runs"));
  program
    .command("report")
    .description("write the access report: who can read what, drift, runs, ignored grants")
    .option("-c, --config <file>", CONFIG_HELP)
    .option("--html <file>", "write the report as one self-contained HTML page")
    .option("--json", "machine-readable output")
    .action(run("report"));
}

/** The service and its state: daemon, state upgrade/export/import. */
function registerService(program: Command): void {
  program
    .command("daemon")
    .description("run as a service: reconcile on a schedule and when a watched source changes")
    .option("-c, --config <file>", CONFIG_HELP)
    .option("--once", "one full reconcile, then exit (0 on success, 1 on error)")
    .action(run("daemon"));
  const state = program
    .command("state")
    .description("move the state between a directory and a database; upgrade an earlier state directory");
  state
    .command("upgrade")
    .description("convert a state directory written by an earlier grantsync (records without checksums)")
    .argument("[dir]", "the state directory (default: the configured [state] dir)")
    .option("-c, --config <file>", CONFIG_HELP)
    .option("--dry-run", "check that everything converts, write nothing")
    .option("--json", "machine-readable output")
    .action(run("state upgrade"));
  for (const [name, description] of [
    ["export", "copy the configured state into DIR (which must not hold a state yet)"],
    ["import", "copy the state in DIR into the configured state (which must be empty)"],
  ] as const) {
    state
      .command(name)
      .description(description)
      .argument("<dir>", "a state directory")
      .option("-c, --config <file>", CONFIG_HELP)
      .option("--json", "machine-readable output")
      .action(run(`state ${name}`));
  }
}
