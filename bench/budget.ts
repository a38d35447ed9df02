/**
 * The benchmark's clock: a total allowance (10 minutes for the full run, about 2 for --quick) and the seconds
 * each phase took. Slow figures ask `affordable()` before they start, so a loaded machine yields fewer
 * repetitions (or a skipped figure with a note) rather than a run that overshoots.
 */

export class Budget {
  readonly phases: Record<string, number> = {};
  private readonly started = performance.now();

  constructor(readonly totalSeconds: number) {}

  elapsedSeconds(): number {
    return (performance.now() - this.started) / 1000;
  }

  remainingSeconds(): number {
    return this.totalSeconds - this.elapsedSeconds();
  }

  /** True when `seconds` more still leaves `reserveSeconds` for the phases after it. */
  affordable(seconds: number, reserveSeconds: number): boolean {
    return seconds + reserveSeconds <= this.remainingSeconds();
  }

  async phase<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const t0 = performance.now();
    try {
      return await fn();
    } finally {
      this.phases[name] = Math.round((performance.now() - t0) / 100) / 10;
    }
  }
}
