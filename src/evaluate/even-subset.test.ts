import { describe, expect, it } from 'vitest';
import { evenSubset } from './even-subset.js';
import { FrameSamples } from './frame-samples.js';

describe('evenSubset', () => {
  const ten = Array.from({ length: 10 }, (_, i) => i);
  it.each([
    [0, []],
    [1, [4]],
    [2, [0, 9]],
    [4, [0, 3, 6, 9]],
    [10, ten],
    [20, ten],
  ])('%i of 10 → %j', (n, expected) => {
    expect(evenSubset(ten, n)).toEqual(expected);
  });
  it('rejects a negative or fractional count', () => {
    expect(() => evenSubset(ten, -1)).toThrow(expect.objectContaining({ code: 'E_ARG' }));
    expect(() => evenSubset(ten, 1.5)).toThrow(expect.objectContaining({ code: 'E_ARG' }));
  });
});

describe('FrameSamples', () => {
  it('keeps and averages per method, k and metric', () => {
    const m = new FrameSamples();
    m.add('gradcam', 10, 'iou', 0.5);
    m.add('gradcam', 10, 'iou', 1);
    m.add('gradcam', 20, 'iou', 0.25);
    expect(m.mean('gradcam', 10, 'iou')).toBe(0.75);
    expect(m.mean('gradcam', 20, 'iou')).toBe(0.25);
    expect(m.mean('gradcam', 5, 'iou')).toBeUndefined();
    expect(m.values('gradcam', 10, 'iou')).toEqual([0.5, 1]);
  });
});
