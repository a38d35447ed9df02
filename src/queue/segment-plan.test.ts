import { describe, expect, it } from 'vitest';
import { planSegments, preRollFrames } from './segment-plan.js';

describe('planSegments', () => {
  it.each([
    // frames, fps, seconds, preRoll → [first, count, decodeFrom] per segment
    [100, 25, 2, 10, [[0, 50, 0], [50, 50, 40]]],
    [101, 25, 2, 10, [[0, 50, 0], [50, 50, 40], [100, 1, 90]]],
    [30, 25, 2, 10, [[0, 30, 0]]],
    [75, 25, 1, 60, [[0, 25, 0], [25, 25, 0], [50, 25, 0]]],
    [10, 30000 / 1001, 0.1, 2, [[0, 3, 0], [3, 3, 1], [6, 3, 4], [9, 1, 7]]],
  ])('%i frames at %d fps in %d s segments, pre-roll %i', (frameCount, fps, segmentSeconds, preRoll, expected) => {
    const plan = planSegments({ frameCount, fps, segmentSeconds, preRoll });
    expect(plan.map((s) => [s.first, s.count, s.decodeFrom])).toEqual(expected);
    expect(plan.map((s) => s.index)).toEqual(plan.map((_, i) => i));
    // Every frame exactly once, in order.
    expect(plan.reduce((n, s) => n + s.count, 0)).toBe(frameCount);
  });

  it.each([
    [{ frameCount: 0, fps: 25, segmentSeconds: 1, preRoll: 1 }, 'E_INPUT_INVALID'],
    [{ frameCount: 10, fps: 25, segmentSeconds: 0, preRoll: 1 }, 'E_ARG'],
    [{ frameCount: 10, fps: 25, segmentSeconds: Number.NaN, preRoll: 1 }, 'E_ARG'],
  ])('%o → %s', (o, code) => {
    expect(() => planSegments(o)).toThrow(expect.objectContaining({ code }));
  });
});

describe('preRollFrames', () => {
  it.each([
    [0.5, 25, 116], // 0.5 · ln(1e4) · 25 = 115.1
    [0, 25, 1], // no smoothing: still the frame before, for the scene-cut detector
    [1, 10, 93],
  ])('T = %d s at %d fps → %i frames', (t, fps, frames) => {
    expect(preRollFrames(t, fps)).toBe(frames);
  });
  it('bounds the EMA error: the weight left on the state before the pre-roll is below epsilon', () => {
    const fps = 25;
    const n = preRollFrames(0.5, fps);
    expect(Math.exp(-n / fps / 0.5)).toBeLessThan(1e-4);
    expect(Math.exp(-(n - 1) / fps / 0.5)).toBeGreaterThan(Math.exp(-n / fps / 0.5));
  });
});
