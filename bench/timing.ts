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

/**
 * Times several figures round-robin (A, B, C, A, B, C, …) so that a change in the machine's load during the run
 * hits all of them alike: the ratios between them are what the bench is for. `plan.warmup` counts warm-up rounds;
 * `maxMs` bounds the whole set.
 */
export async function timeRoundRobin(entries: readonly (readonly [string, () => unknown])[], plan: TimingPlan): Promise<Record<string, Timed>> {
  const start = performance.now();
  for (let i = 0; i < plan.warmup; i++) for (const [, fn] of entries) await fn();
  const samples = new Map<string, number[]>(entries.map(([k]) => [k, []]));
  let rounds = 0;
  let lastRoundMs = 0;
  while (rounds < plan.maxReps) {
    if (rounds >= plan.minReps && performance.now() - start + lastRoundMs >= plan.maxMs) break;
    const r0 = performance.now();
    for (const [k, fn] of entries) {
      const t0 = performance.now();
      await fn();
      samples.get(k)!.push(performance.now() - t0);
    }
    lastRoundMs = performance.now() - r0;
    rounds++;
  }
  return Object.fromEntries(
    [...samples].map(([k, s]) => [k, { medianMs: median(s), samplesMs: s.map((v) => round(v, 1)), warmup: plan.warmup, reps: s.length }]),
  );
}
