import { describe, expect, it } from 'vitest';
import { fairRemovalMasks, pgcRemovalMasks, relevanceOrder, removalMask, tieBreakRanks } from './removal-masks.js';

const count = (m: Uint8Array) => m.reduce((a, b) => a + b, 0);
/** A "thresholded" map: 10 hot pixels out of 100, everything else exactly 0. */
const top10 = Float32Array.from({ length: 100 }, (_, i) => (i >= 90 ? 0.5 + (i - 90) / 20 : 0));

describe('tie order', () => {
  it('is a seeded permutation', () => {
    const r = tieBreakRanks(50, 3);
    expect([...r].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(Array.from(tieBreakRanks(50, 3))).toEqual(Array.from(r));
    expect(Array.from(tieBreakRanks(50, 4))).not.toEqual(Array.from(r));
  });

  it('orders by value, most relevant first or last, ties by rank', () => {
    const v = Float32Array.from([0.5, 1, 0.5, 0]);
    const rank = Int32Array.from([3, 0, 1, 2]);
    expect(Array.from(relevanceOrder(v, true, rank))).toEqual([1, 2, 0, 3]);
    expect(Array.from(relevanceOrder(v, false, rank))).toEqual([3, 2, 0, 1]);
    expect(Array.from(removalMask(relevanceOrder(v, true, rank), 50))).toEqual([0, 1, 1, 0]);
  });
});

describe('fair protocol', () => {
  it.each([20, 40, 60, 80])('removes exactly %i %% of a map with 90 %% ties, both ways', (p) => {
    const { morf, lerf } = fairRemovalMasks(top10, [p], 1);
    expect(count(morf[0]!)).toBe(p);
    expect(count(lerf[0]!)).toBe(p);
    for (let i = 90; i < 100; i++) expect(morf[0]![i]).toBe(1); // the hot pixels go first
    for (let i = 90; i < 100; i++) expect(lerf[0]![i]).toBe(0); // and last
  });

  it('does not break ties by position: the zeros MoRF removes are spread over the image', () => {
    const { morf } = fairRemovalMasks(top10, [50], 1);
    const removedZeros = [...morf[0]!.subarray(0, 90)].flatMap((v, i) => (v ? [i] : []));
    expect(removedZeros).toHaveLength(40);
    expect(Math.max(...removedZeros)).toBeGreaterThan(60); // index ties would remove 0…39
  });

  it('removes the same pixels MoRF and LeRF on a constant map', () => {
    const { morf, lerf } = fairRemovalMasks(new Float32Array(64).fill(0.3), [20, 60], 9);
    expect(Array.from(morf[1]!)).toEqual(Array.from(lerf[1]!));
    expect(count(morf[0]!)).toBe(13);
  });
});

describe('pgc protocol (pytorch-grad-cam: keep v < percentile(v, 100 − p))', () => {
  it('removes every pixel of a 90 %-zero map by MoRF at 20…80, and keeps exactly the hot pixels by LeRF', () => {
    const ps = [20, 40, 60, 80];
    const { morf, lerf } = pgcRemovalMasks(top10, ps);
    for (const m of morf) expect(count(m)).toBe(100);
    for (const m of lerf) {
      expect(count(m)).toBe(90);
      for (let i = 90; i < 100; i++) expect(m[i]).toBe(0);
    }
  });

  it('on distinct values removes what the percentile rule says', () => {
    const v = Float32Array.from({ length: 11 }, (_, i) => i / 10); // 0, 0.1, …, 1
    // MoRF at p = 30: τ = percentile 70 = 0.7; keep v < 0.7 (7 pixels), remove 4.
    const { morf, lerf } = pgcRemovalMasks(v, [30]);
    expect(Array.from(morf[0]!)).toEqual([0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1]);
    // LeRF at p = 30 on 1 − v: remove 1 − v ≥ 0.7 i.e. v ≤ 0.3 (float32 rounding of 1 − 0.3 included).
    expect(Array.from(lerf[0]!)).toEqual([1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0]);
  });
});
