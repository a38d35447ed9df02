import { describe, expect, it } from 'vitest';
import { pipelineModels } from './io-bench.js';
import { median, ratio, timeRoundRobin, timeRuns } from './timing.js';

describe('median / ratio', () => {
  it.each([
    [[3, 1, 2], 2],
    [[4, 1, 3, 2], 2.5],
    [[7], 7],
  ])('median(%j) = %d', (xs, m) => expect(median(xs)).toBe(m));
  it('median of nothing is NaN', () => expect(median([])).toBeNaN());
  it.each([
    [10, 4, 2.5],
    [1, 3, 0.333],
    [undefined, 4, null],
    [4, 0, null],
    [Number.NaN, 4, null],
  ])('ratio(%s, %s) = %s', (a, b, r) => expect(ratio(a, b)).toBe(r));
});

describe('timeRoundRobin', () => {
  it('warms up, then interleaves the figures round by round, honouring minReps when maxMs is spent', async () => {
    const calls: string[] = [];
    const t = await timeRoundRobin([['a', () => calls.push('a')], ['b', () => calls.push('b')]], { warmup: 1, minReps: 2, maxReps: 5, maxMs: 0 });
    expect(calls).toEqual(['a', 'b', 'a', 'b', 'a', 'b']);
    expect(t.a.reps).toBe(2);
    expect(t.b.reps).toBe(2);
    expect(t.a.warmup).toBe(1);
    expect(t.a.samplesMs).toHaveLength(2);
  });
  it('stops at maxReps when time allows', async () => {
    const t = await timeRoundRobin([['x', () => undefined]], { warmup: 0, minReps: 1, maxReps: 4, maxMs: 60_000 });
    expect(t.x.reps).toBe(4);
  });
  it('timeRuns: warm-up runs are not timed', async () => {
    let n = 0;
    const t = await timeRuns(() => n++, { warmup: 2, minReps: 3, maxReps: 3, maxMs: 0 });
    expect(n).toBe(5);
    expect(t.reps).toBe(3);
  });
});

describe('pipelineModels', () => {
  it('serial = harmonic sum of the stage rates; overlapped = the slowest stage', () => {
    expect(pipelineModels(10, { decodeFps: 40, encodeFps: 40, reps: 1 })).toEqual({ serialFps: 6.667, overlappedFps: 10 });
    expect(pipelineModels(50, { decodeFps: 20, encodeFps: 40, reps: 1 }).overlappedFps).toBe(20);
  });
});
