/**
 * Running means of per-frame scores, keyed by method (a member id or 'metacam'), k and metric. Frames are
 * streamed, so the evaluation keeps sums and counts, never the per-frame values.
 */
export class MetricMeans {
  private readonly sums = new Map<string, { sum: number; count: number }>();

  private static key(method: string, k: number, metric: string): string {
    return `${method}\u0000${k}\u0000${metric}`;
  }

  add(method: string, k: number, metric: string, value: number): void {
    const key = MetricMeans.key(method, k, metric);
    const s = this.sums.get(key) ?? { sum: 0, count: 0 };
    s.sum += value;
    s.count++;
    this.sums.set(key, s);
  }

  /** The mean, or undefined when nothing was added. */
  mean(method: string, k: number, metric: string): number | undefined {
    const s = this.sums.get(MetricMeans.key(method, k, metric));
    return s && s.count > 0 ? s.sum / s.count : undefined;
  }
}
