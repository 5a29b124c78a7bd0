// What a progress line shows while a run walks: its phase, how many of the managed locations are
// done, and how many paths were scanned.

export interface Progress {
  phase: "planning" | "applying";
  locationsDone: number;
  locationsTotal: number;
  scanned: number;
}

export type ProgressListener = (progress: Progress) => void;

export interface ProgressReporter {
  scanned(n: number): void;
  locations(done: number, total: number): void;
}

/** Reports when a location is done and every 1000 paths between them; nothing without a listener. */
export function progressReporter(
  listener: ProgressListener | undefined,
  phase: Progress["phase"],
): ProgressReporter {
  const p: Progress = { phase, locationsDone: 0, locationsTotal: 0, scanned: 0 };
  return {
    scanned(n) {
      p.scanned = n;
      if (listener && n % 1000 === 0) listener({ ...p });
    },
    locations(done, total) {
      p.locationsDone = done;
      p.locationsTotal = total;
      listener?.({ ...p });
    },
  };
}
