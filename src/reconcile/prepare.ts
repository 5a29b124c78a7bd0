// What plan and apply read before they walk: the managed state, the adoptions, what pending runs
// added, the principals to leave out, and from them the walk's input, built once per run.

import { desiredPrincipals } from "../compile/principals.ts";
import { GsError } from "../errors.ts";
import type { AdoptionLog } from "../state/store.ts";
import type { WalkInput } from "./decide.ts";
import { excludedNames } from "./exclusions.ts";
import { ownedByPendingRuns } from "./ownership.ts";
import type { PathProblem } from "./plan.ts";
import type { PlanOptions, Session } from "./run.ts";
import type { ManagedState } from "./state.ts";

export interface PrincipalSkips {
  keys: Set<string>;
  problems: Required<PathProblem>[];
}

export interface PreparedWalk {
  /** The state as loaded: what apply's final state is computed from. */
  state: ManagedState;
  skips: PrincipalSkips;
  adoptions: AdoptionLog;
  input: WalkInput;
}

export async function prepareWalk(session: Session, opts: PlanOptions): Promise<PreparedWalk> {
  const { store, config } = session;
  const skips = await principalSkips(session);
  const state = await store.loadManaged(session.targetId);
  const adoptions = await store.loadAdoptions();
  const owned = await ownedByPendingRuns(store, state.pending?.runs);
  const input: WalkInput = {
    target: session.target,
    desired: session.desired,
    state,
    adoptions,
    ...(owned ? { owned } : {}),
    roots: config.target.roots,
    excluded: excludedNames(config.target.exclude),
    skipPrincipals: skips.keys,
    ...(opts.scope ? { scope: opts.scope } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  };
  return { state, skips, adoptions, input };
}

async function principalSkips(session: Session): Promise<PrincipalSkips> {
  const unknown = await session.target.unknownPrincipals(desiredPrincipals(session.desired));
  const keys = new Set(unknown.map((p) => `${p.kind}:${p.name}`));
  if (keys.size > 0 && session.config.target.unknownPrincipal === "error") {
    throw new GsError("GS_PRINCIPAL_UNKNOWN", `unknown on this host: ${[...keys].join(", ")}`, {
      input: [...keys],
    });
  }
  const problems = [...keys].map((k) => ({
    path: "",
    code: "GS_PRINCIPAL_UNKNOWN" as const,
    message: `${k} does not exist on the target; its entries are skipped`,
    principals: [k],
  }));
  return { keys, problems };
}
