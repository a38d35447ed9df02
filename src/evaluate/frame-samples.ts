/**
 * Per-frame (or per-frame-pair) scores, keyed by method (a member id or 'metacam'), k and metric. The values are
 * kept — a few numbers per frame — because the report gives every mean a bootstrap interval over frames.
 */
export class FrameSamples {
  private readonly samples = new Map<string, number[]>();

  private static key(method: string, k: number, metric: string): string {
    return `${method}\u0000${k}\u0000${metric}`;
  }

  add(method: string, k: number, metric: string, value: number): void {
    const key = FrameSamples.key(method, k, metric);
    const s = this.samples.get(key);
    if (s) s.push(value);
    else this.samples.set(key, [value]);
  }

  values(method: string, k: number, metric: string): readonly number[] {
    return this.samples.get(FrameSamples.key(method, k, metric)) ?? [];
  }

  /** The mean, or undefined when nothing was added. */
  mean(method: string, k: number, metric: string): number | undefined {
    const v = this.values(method, k, metric);
    return v.length > 0 ? v.reduce((a, b) => a + b, 0) / v.length : undefined;
  }
}
