import { describe, expect, it } from 'vitest';
import { preprocessPixels } from './preprocess.js';

const img = { width: 2, height: 1, data: Uint8Array.from([0, 51, 255, 255, 102, 0]) };

describe('preprocessPixels', () => {
  it.each([
    ['0,1', undefined, undefined, [0, 0.2, 1, 1, 0.4, 0]],
    ['-1,1', undefined, undefined, [-1, -0.6, 1, 1, -0.2, -1]],
    ['0,255', undefined, undefined, [0, 51, 255, 255, 102, 0]],
    ['0,1', [0.5, 0.5, 0.5], [0.25, 0.5, 1], [-2, -0.6, 0.5, 2, -0.2, -0.5]],
  ] as const)('range %s mean %j std %j', (range, mean, std, expected) => {
    const out = preprocessPixels([img], { width: 2, height: 1 }, { range, mean, std });
    expect(Array.from(out).map((v) => Number(v.toFixed(5)))).toEqual(expected);
  });

  it('rejects a frame at the wrong size and a non-positive std', () => {
    expect(() => preprocessPixels([img], { width: 1, height: 2 }, { range: '0,1' })).toThrow(/needs 1×2/);
    expect(() => preprocessPixels([img], { width: 2, height: 1 }, { range: '0,1', std: [1, 0, 1] })).toThrow(expect.objectContaining({ code: 'E_ARG' }));
  });
});
