// The reconcile walk: for every path under the managed locations, observe its ACL, merge in the
// desired entries while keeping everyone else's, and hand each difference to plan or apply.

import { toGsError } from "../errors.ts";
import { findRoot } from "../paths.ts";
import type { SkippedPath, TargetNode } from "../targets/target.ts";
import { aboveRootProblems } from "./above-roots.ts";
import { ContextResolver, walkRoots } from "./contexts.ts";
import { type Decision, decide, type WalkInput } from "./decide.ts";
import { type ExcludedName, excludedBelowRoot } from "./exclusions.ts";
import type { PathProblem } from "./plan.ts";
import { RunStop, stopsRun } from "./run-stop.ts";

export type { Decision, WalkInput } from "./decide.ts";

export interface WalkHandlers {
  /**
   * true when the path is in line (or needs nothing), false when it could not be brought in line
   * (its root's state stays unsettled), or a promise when its write is still to come: if that write
   * does not land, `failedLater` is called before the promise settles. Paths written together (one
   * journal batch) may share one promise; it rejects only when the run must stop.
   */
  decided(decision: Decision, failedLater: () => void): boolean | Promise<unknown>;
  skipped(s: SkippedPath): void;
  problem(p: PathProblem): void;
  /** A directory left alone, with everything below it, because its name is excluded. */
  excluded(path: string): void;
  /** Something the operator should know that is no failure of the run. */
  warning(w: PathProblem): void;
  /** How many of the walk's locations are done, at the start and after each one. */
  locations?(done: number, total: number): void;
}

/** Where a walk's skips, exclusions, warnings and problems are collected (a PlanBuilder). */
export interface WalkRecorder {
  skip(s: SkippedPath): void;
  exclude(path: string): void;
  warn(w: PathProblem): void;
  problem(p: PathProblem): void;
}

/** Every handler but `decided`: what plan and apply report the same way. */
export function recordedBy(
  recorder: WalkRecorder,
  locations?: WalkHandlers["locations"],
): Omit<WalkHandlers, "decided"> {
  return {
    skipped: (s) => recorder.skip(s),
    excluded: (path) => recorder.exclude(path),
    warning: (w) => recorder.warn(w),
    problem: (p) => recorder.problem(p),
    ...(locations ? { locations } : {}),
  };
}

export interface WalkOutcome {
  /** Walk roots that completed without a problem under them (their state may be finalised). */
  cleanRoots: string[];
  walkedRoots: string[];
}

export function contextPaths(input: Pick<WalkInput, "desired" | "state" | "scope">): string[] {
  if (input.scope) return [...input.scope];
  return [...new Set([...input.desired.contexts.keys(), ...Object.keys(input.state.locations)])];
}

export async function walkManaged(input: WalkInput, handlers: WalkHandlers): Promise<WalkOutcome> {
  const resolver = new ContextResolver(input.desired.contexts, input.state);
  const roots = walkRoots(pathsInRoots(input, handlers));
  const excluded = input.excluded ?? (() => false);
  const walk: RootWalk = {
    input,
    handlers,
    resolver,
    excluded,
    isExcluded: (node) => node.type === "dir" && excluded(baseName(node.path)),
    traversePaths: new Set([
      ...(input.desired.traverse?.entries.keys() ?? []),
      ...Object.keys(input.state.traverse ?? {}),
    ]),
    visited: new Set(),
    stop: new RunStop(input.signal),
    guardWrites: (input.target.concurrentRoots ?? 1) > 1,
  };
  const cleanRoots = await walkAll(walk, roots);
  await decideUnvisited(walk);
  if (!input.signal?.aborted) await warnAboveRoots(input, handlers);
  return { cleanRoots, walkedRoots: roots };
}

/**
 * Walks the roots, as many at once as the target takes; the clean ones come back in the roots'
 * order. A walk that must stop the run aborts the others, and the first such error is thrown once
 * every walk has settled, so nothing is written after it.
 */
async function walkAll(walk: RootWalk, roots: readonly string[]): Promise<string[]> {
  const { handlers } = walk;
  const clean = roots.map(() => false);
  let next = 0;
  let done = 0;
  handlers.locations?.(0, roots.length);
  const lane = async () => {
    while (next < roots.length && !walk.stop.signal.aborted) {
      const i = next++;
      clean[i] = await walkRoot(walk, roots[i]!);
      handlers.locations?.(++done, roots.length);
    }
  };
  const lanes = Math.max(1, Math.min(walk.input.target.concurrentRoots ?? 1, roots.length));
  await Promise.all(Array.from({ length: lanes }, lane));
  if (walk.stop.error) throw walk.stop.error;
  return roots.filter((_, i) => clean[i]);
}

/** What the walks of every root share: the contexts, the exclusions, the traverse paths seen. */
interface RootWalk {
  input: WalkInput;
  handlers: WalkHandlers;
  resolver: ContextResolver;
  excluded: ExcludedName;
  isExcluded: (node: TargetNode) => boolean;
  /** Paths with traverse entries (desired or remembered); those the walks visit land in `visited`. */
  traversePaths: Set<string>;
  visited: Set<string>;
  stop: RunStop;
  /**
   * Whether changed decisions carry a node that refuses writes after the stop: a target whose
   * writes wait on the network, from several roots at once. A POSIX write waits only for its
   * journal batch, which a journal failure fails whole; guarding it would cost a promise per path.
   */
  guardWrites: boolean;
}

/** The locations to walk: those inside a root (a remembered one outside every root is a problem). */
function pathsInRoots(input: WalkInput, handlers: WalkHandlers): string[] {
  return contextPaths(input).filter((p) => {
    if (findRoot(p, input.roots)) return true;
    handlers.problem({
      path: p,
      code: "GS_PATH_OUTSIDE_ROOTS",
      message: "a remembered location is outside every root; not walked",
    });
    return false;
  });
}

/** Walks one root; true when it completed without a problem under it (its state may be finalised). */
async function walkRoot(walk: RootWalk, root: string): Promise<boolean> {
  const { input, handlers, resolver, isExcluded } = walk;
  if (excludedBelowRoot(root, input.roots, walk.excluded)) {
    handlers.excluded(root);
    return true;
  }
  let problems = 0;
  const problem = (p: PathProblem) => {
    problems++;
    handlers.problem(p);
  };
  const skip = (s: SkippedPath) => {
    if (s.reason === "error") problems++;
    handlers.skipped(s);
  };
  const failed = (err: unknown) => {
    walk.stop.halts(err, root);
    throw err;
  };
  const failedLater = () => {
    problems++;
  };
  // Paths written together share their writer's promise, and so one reaction here: the walk then
  // gets the same promise back for all of them too.
  let shared: Promise<unknown> | undefined;
  let tracked: Promise<void> | undefined;
  const track = (write: Promise<unknown>): Promise<void> => {
    if (write !== shared) {
      shared = write;
      tracked = write.then(NOTHING, failed);
    }
    return tracked!;
  };
  try {
    await input.target.walk(root, {
      signal: walk.stop.signal,
      skip,
      descend: (dir) =>
        !isExcluded(dir) &&
        (!input.scope || dir.path === root || !resolver.isContextPath(dir.path) || input.scope.has(dir.path)),
      // Synchronous unless the handler writes: a walk then pays no promise per unchanged path.
      visit: (node) => {
        if (node.path !== root && isExcluded(node)) return handlers.excluded(node.path);
        let decision = decide(node, resolver.forPath(node.path), input);
        // A node the walk did not check for writing: one with a change is a skip, as in every run.
        const refused = decision.change && node.writeRefusal?.();
        if (refused) return skip(refused);
        if (walk.traversePaths.has(node.path)) walk.visited.add(node.path);
        if (decision.problem) problem(decision.problem);
        if (decision.change && walk.guardWrites) decision = walk.stop.guard(decision);
        const decided = handlers.decided(decision, failedLater);
        if (decided === false) problems++;
        else if (decided !== true) return track(decided);
      },
    });
  } catch (err) {
    // Once the run stopped, the other walks end with its error or an abort: nothing more to report.
    if (walk.stop.halts(err, root) || walk.stop.error) return false;
    const e = toGsError(err, "GS_TARGET_IO", { location: root });
    problem({ path: root, code: e.code, message: e.message });
  }
  return problems === 0 && !walk.stop.signal.aborted;
}

/** Traverse paths no walk visited (above the roots walked, or below none): each decided alone. */
async function decideUnvisited(walk: RootWalk): Promise<void> {
  const { input } = walk;
  for (const path of walk.traversePaths) {
    if (input.signal?.aborted) break;
    if (
      walk.visited.has(path) ||
      !findRoot(path, input.roots) ||
      excludedBelowRoot(path, input.roots, walk.excluded)
    )
      continue;
    await decideAlone(path, walk.resolver, input, walk.handlers);
  }
}

/** Directories above a root whose mode bits stop some grantee: warnings, no failure of the run. */
async function warnAboveRoots(input: WalkInput, handlers: WalkHandlers): Promise<void> {
  const { target, desired, skipPrincipals } = input;
  for (const w of await aboveRootProblems(target, desired, input.roots, skipPrincipals)) handlers.warning(w);
}

/** A directory above the locations a walk covers (the root, a database dir): its traverse entries. */
async function decideAlone(
  path: string,
  resolver: ContextResolver,
  input: WalkInput,
  handlers: WalkHandlers,
): Promise<void> {
  try {
    const node = await input.target.node(path);
    if (!node) return;
    const decision = decide(node, resolver.forPath(path), input);
    if (decision.problem) handlers.problem(decision.problem);
    await handlers.decided(decision, NOTHING);
  } catch (err) {
    const e = toGsError(err, "GS_TARGET_IO", { location: path });
    if (stopsRun(e)) throw e;
    handlers.problem({ path, code: e.code, message: e.message });
  }
}

const NOTHING = () => {};

function baseName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}
