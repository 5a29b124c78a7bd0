// The one session builder: config → sources → model → target → desired ACLs → state store. The
// commands open their session here; the daemon builds each run from the same pieces (it keeps the
// last good model and reopens the target only when the config changes), so a new source, target
// or state store is wired once, in sources/ and session/, and reaches both.

import { checkEnvironment } from "../config/environment.ts";
import type { Config } from "../config/types.ts";
import { diagnosticError, GsError } from "../errors.ts";
import type { Session } from "../reconcile/run.ts";
import { loadModel, type Model, type ModelLoad } from "../sources/load.ts";
import type { StateStore } from "../state/store.ts";
import type { Target } from "../targets/target.ts";
import { compileFor } from "./compile.ts";
import { openStateStore } from "./store.ts";
import { createTarget, targetId } from "./target.ts";

/** What a session is made of; the rest of a `Session` is derived or the caller's. */
export type SessionParts = Pick<Session, "config" | "target" | "desired" | "store">;

/** What the caller adds for its run: a held lease, progress and write listeners, the trigger. */
export type SessionExtras = Omit<Session, keyof SessionParts | "targetId">;

export interface BuildOptions {
  /** Sees every load, before a model with errors stops the build (to print the diagnostics). */
  onLoad?: (load: ModelLoad) => void;
  extras?: SessionExtras;
}

export interface Built {
  model: Model;
  session: Session;
}

/** A config naming missing local roots or state directory stops before anything is read. */
export function requireEnvironment(config: Config): void {
  const [problem] = checkEnvironment(config);
  if (problem) throw diagnosticError(problem);
}

export function sessionOf(parts: SessionParts, extras: SessionExtras = {}): Session {
  return { ...parts, targetId: targetId(parts.config), ...extras };
}

/** Config → model → desired ACLs → target and state. A model with errors stops here, with every error listed. */
export async function buildSession(config: Config, opts: BuildOptions = {}): Promise<Built> {
  requireEnvironment(config);
  const load = await loadModel(config);
  opts.onLoad?.(load);
  if (!load.model) throw modelErrors(load);
  const model = load.model;
  const { target, store } = await openTargetAndStore(config);
  return {
    model,
    session: sessionOf({ config, target, desired: compileFor(config, model, target), store }, opts.extras),
  };
}

/** The target and the state a config names; the target is closed again when the state cannot open. */
export async function openTargetAndStore(config: Config): Promise<{ target: Target; store: StateStore }> {
  const target = await createTarget(config);
  try {
    return { target, store: await openStateStore(config) };
  } catch (err) {
    await target.close();
    throw err;
  }
}

export async function closeSession(session: Session): Promise<void> {
  await session.target.close();
  await session.store.close();
}

function modelErrors(load: ModelLoad): GsError {
  return new GsError(
    "GS_POLICY_ERRORS",
    `${load.errors.length} error(s) in the policy or locations; nothing was changed`,
    { input: { errors: load.errors, warnings: load.warnings } },
  );
}
