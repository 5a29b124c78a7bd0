// How a command ends: the exit code it asks for after writing its output, and whether the daemon
// stopped. Kept apart from the commands so main can check both without loading any of them.

/** Thrown to end a command with an exit code after its output has been written. */
export class CliExit extends Error {
  readonly exitCode: number;
  constructor(exitCode: number) {
    super(`exit ${exitCode}`);
    this.exitCode = exitCode;
  }
}

/**
 * Set once the daemon has stopped (drained, journaled, everything it owns closed): main then
 * exits at once, so a handle some library left open cannot keep a stopped service alive.
 */
export let daemonStopped = false;

export function markDaemonStopped(): void {
  daemonStopped = true;
}
