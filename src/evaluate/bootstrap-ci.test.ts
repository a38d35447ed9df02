import { describe, expect, it } from 'vitest';
import { createBootstrap } from './bootstrap-ci.js';

describe('bootstrap CI of a mean', () => {
  it('is a point for constant values and undefined for none', () => {
    const ci = createBootstrap();
    const [lo, hi] = ci([0.4, 0.4, 0.4])!;
    expect(lo).toBeCloseTo(0.4, 12);
    expect(hi).toBeCloseTo(0.4, 12);
    expect(ci([])).toBeUndefined();
  });

  it('covers the mean, narrows with n, and is reproducible for a seed', () => {
    const values = Array.from({ length: 80 }, (_, i) => (i % 2 === 0 ? 1 : 0)); // mean 0.5, sd 0.5
    const ci = createBootstrap({ seed: 3 });
    const [lo, hi] = ci(values)!;
    expect(lo).toBeLessThan(0.5);
    expect(hi).toBeGreaterThan(0.5);
    // normal approximation: ±1.96 · 0.5/√80 ≈ ±0.11
    expect(hi - lo).toBeGreaterThan(0.16);
    expect(hi - lo).toBeLessThan(0.28);
    const [lo4, hi4] = ci(values.concat(values, values, values))!;
    expect(hi4 - lo4).toBeLessThan((hi - lo) * 0.65);
    expect(createBootstrap({ seed: 3 })(values)).toEqual([lo, hi]);
    expect(createBootstrap({ seed: 4 })(values)).not.toEqual([lo, hi]);
  });

  it.each([{ resamples: 5 }, { level: 1 }, { level: 0 }])('rejects %j', (o) => {
    expect(() => createBootstrap(o)).toThrow(expect.objectContaining({ code: 'E_ARG' }));
  });
});
