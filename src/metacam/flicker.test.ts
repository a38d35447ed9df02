import { describe, expect, it } from 'vitest';
import { camMap } from '../core/cam-map.js';
import { FlickerMeter, regionIoU } from './flicker.js';

const r = (bits: string) => camMap(bits.length, 1, Float32Array.from(bits, (c) => (c === '1' ? 0.7 : 0)));

describe('regionIoU', () => {
  it.each([
    { a: '1100', b: '1100', want: 1 },
    { a: '1100', b: '0011', want: 0 },
    { a: '1100', b: '0110', want: 1 / 3 },
    { a: '1110', b: '0100', want: 1 / 3 },
    { a: '0000', b: '0000', want: 1 },
    { a: '0000', b: '0100', want: 0 },
  ])('$a vs $b → $want', ({ a, b, want }) => {
    expect(regionIoU(r(a), r(b))).toBeCloseTo(want, 12);
  });
});

describe('FlickerMeter', () => {
  it('is the mean of 1 − IoU over consecutive pairs', () => {
    const f = new FlickerMeter();
    expect(f.value).toBe(0);
    for (const bits of ['1100', '1100', '0110', '0011']) f.push(r(bits));
    // pairs: 1 − 1 = 0, 1 − 1/3, 1 − 1/3
    expect(f.pairCount).toBe(3);
    expect(f.value).toBeCloseTo((0 + 2 / 3 + 2 / 3) / 3, 12);
  });

  it('a new segment does not count the pair across it; reset() forgets everything', () => {
    const f = new FlickerMeter();
    f.push(r('1100'));
    f.push(r('0011'), true);
    f.push(r('0011'));
    expect(f.pairCount).toBe(1);
    expect(f.value).toBe(0);
    f.reset();
    f.push(r('1000'));
    f.push(r('0100'));
    expect(f.value).toBe(1);
  });

  it('copies the map, so reused buffers do not change history', () => {
    const f = new FlickerMeter();
    const buf = r('1100');
    f.push(buf);
    buf.data.fill(0);
    buf.data[3] = 1;
    f.push(buf);
    expect(f.value).toBe(1);
  });
});
