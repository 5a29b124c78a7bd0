// Injected trouble for resilience tests and benchmarks: per-request latency, a standby NameNode,
// and random failures of the kinds a client meets in production.

import { type RemoteError, remote } from "./remote-error.ts";

export type FaultKind = "503" | "reset" | "standby" | "retriable" | "timeout";

export interface FaultSettings {
  /** Probability 0..1 that a WebHDFS request fails with one of `errorKinds`. */
  errorRate?: number;
  errorKinds?: FaultKind[];
  latencyMs?: number;
  /** Seeds the draws of `errorRate` faults (mulberry32), so a test's faults replay; unset: Math.random. */
  faultSeed?: number;
}

/** The settings a draw reads (the seed lives in the generator it made). */
export type FaultDraw = Required<Omit<FaultSettings, "faultSeed">>;

/** `timeout` is left out of the default: it holds the request until the emulator closes. */
export const DEFAULT_FAULT_KINDS: readonly FaultKind[] = ["503", "reset", "standby", "retriable"];

/** A standby NameNode refuses the op's category before running it. */
export function standbyError(method: string): RemoteError {
  const category = method === "GET" ? "READ" : "WRITE";
  return remote.standby(
    `Operation category ${category} is not supported in state standby. Visit https://s.apache.org/sbnn-error`,
  );
}

export function retriableError(): RemoteError {
  return remote.retriable("Namenode is in startup mode");
}

/** Picks the fault for this request, if any. */
export function drawFault(s: FaultDraw, random: () => number = Math.random): FaultKind | null {
  if (s.errorRate <= 0 || s.errorKinds.length === 0 || random() >= s.errorRate) return null;
  return s.errorKinds[Math.floor(random() * s.errorKinds.length)] ?? null;
}

/** mulberry32: a small seeded generator of numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The NameNode never answers 503 itself; one comes from Jetty (server not ready, overloaded) or a
 * proxy, so it carries Jetty's HTML error page rather than a RemoteException.
 */
export function unavailablePage(path: string): string {
  return `<html>
<head>
<meta http-equiv="Content-Type" content="text/html;charset=iso-8859-1"/>
<title>Error 503 Service Unavailable</title>
</head>
<body><h2>HTTP ERROR 503</h2>
<p>Problem accessing ${path.replace(/[<>&"]/g, "")}. Reason:
<pre>    Service Unavailable</pre></p>
</body>
</html>
`;
}
