/**
 * Timed repetitions for the benchmark: a warm-up (first calls compile wasm kernels and allocate the heap), then
 * repeated timed runs until `maxReps` or until the figure's time allowance is spent (never fewer than `minReps`).
 * Figures are medians: the machine is shared, and a median shrugs off a run that lost its core to a neighbour.
 */

export interface TimingPlan {
  /** Untimed runs first. */
  readonly warmup: number;
  readonly minReps: number;
  readonly maxReps: number;
  /** Stop adding timed runs once this much time (warm-up included) has passed. */
  readonly maxMs: number;
}

export interface Timed {
  readonly medianMs: number;
  readonly samplesMs: readonly number[];
  readonly warmup: number;
  readonly reps: number;
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export async function timeRuns(fn: () => unknown, plan: TimingPlan): Promise<Timed> {
  const start = performance.now();
  for (let i = 0; i < plan.warmup; i++) await fn();
  const samples: number[] = [];
  while (samples.length < plan.maxReps) {
    if (samples.length >= plan.minReps && performance.now() - start >= plan.maxMs) break;
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  return { medianMs: median(samples), samplesMs: samples.map((s) => round(s, 1)), warmup: plan.warmup, reps: samples.length };
}

/** Frames per second of `frames` frames taking `ms`. */
export function fps(frames: number, ms: number): number {
  return round((frames * 1000) / ms, 3);
}

export function round(x: number, digits = 3): number {
  if (!Number.isFinite(x)) return x;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export function ratio(a: number | undefined, b: number | undefined): number | null {
  if (a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b === 0) return null;
  return round(a / b, 3);
}
