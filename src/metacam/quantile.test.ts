import { describe, expect, it } from 'vitest';
import { MetacamError } from '../errors.js';
import { quantile } from './quantile.js';

describe('quantile (type 7, linear interpolation)', () => {
  it.each([
    { name: 'minimum at q=0', data: [3, 1, 2], q: 0, want: 1 },
    { name: 'maximum at q=1', data: [3, 1, 2], q: 1, want: 3 },
    { name: 'median of odd count', data: [5, 1, 3], q: 0.5, want: 3 },
    { name: 'median of even count interpolates', data: [1, 2, 3, 4], q: 0.5, want: 2.5 },
    { name: '0.9 of 0..10 (h = 9)', data: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], q: 0.9, want: 9 },
    { name: '0.9 of 0..9 (h = 8.1)', data: [9, 8, 7, 6, 5, 4, 3, 2, 1, 0], q: 0.9, want: 8.1 },
    { name: 'ties give the tied value exactly', data: [0, 0.5, 0.5, 0.5, 1], q: 0.6, want: 0.5 },
    { name: 'constant map gives its constant', data: [0.25, 0.25, 0.25, 0.25], q: 0.9, want: 0.25 },
    { name: 'all-zero map gives 0', data: [0, 0, 0], q: 0.9, want: 0 },
    { name: 'single value', data: [0.7], q: 0.3, want: 0.7 },
  ])('$name', ({ data, q, want }) => {
    expect(quantile(Float32Array.from(data), q)).toBeCloseTo(want, 6);
  });

  it.each([
    { data: [1, 2], q: -0.1, code: 'E_ARG' },
    { data: [1, 2], q: 1.1, code: 'E_ARG' },
    { data: [1, 2], q: Number.NaN, code: 'E_ARG' },
    { data: [], q: 0.5, code: 'E_ARG' },
    { data: [1, Number.NaN], q: 0.5, code: 'E_INTERNAL' },
  ])('rejects q=$q on $data with $code', ({ data, q, code }) => {
    const run = () => quantile(Float32Array.from(data), q);
    expect(run).toThrow(MetacamError);
    expect(run).toThrow(expect.objectContaining({ code }));
  });

  it('does not reorder the caller’s data', () => {
    const d = Float32Array.from([3, 1, 2]);
    quantile(d, 0.5);
    expect(Array.from(d)).toEqual([3, 1, 2]);
  });
});
