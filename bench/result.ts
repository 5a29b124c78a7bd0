// One benchmark row: grantsync's median against a reference tool's (or a fixed goal), and whether
// the goal is met. Rows print as a table and are saved, with raw samples, to results/latest.json.

export interface BenchRow {
  name: string;
  unit: string;
  grantsync: number;
  /** The reference tool's median, or undefined when the goal is an absolute bound. */
  reference?: number;
  referenceName?: string;
  /** grantsync / reference, or the measured quantity the goal bounds. */
  ratio?: number;
  goal: string;
  met: boolean | undefined;
  samples?: { grantsync: number[]; reference?: number[] };
  note?: string;
}

export interface SkippedSection {
  name: string;
  reason: string;
}

export function ratioRow(
  name: string,
  unit: string,
  gs: number[],
  ref: number[],
  referenceName: string,
  goalMax: number,
  median: (xs: number[]) => number,
): BenchRow {
  const g = median(gs);
  const r = median(ref);
  const ratio = g / r;
  return {
    name,
    unit,
    grantsync: g,
    reference: r,
    referenceName,
    ratio,
    goal: `ratio ≤ ${goalMax}`,
    met: ratio <= goalMax,
    samples: { grantsync: gs, reference: ref },
  };
}
