import { firstValueFrom, from, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { camMap } from '../core/cam-map.js';
import { MetacamError } from '../errors.js';
import type { Frame } from '../core/frame.js';
import type { ExplanationMaps, FrameExplanation } from '../core/frame-explanation.js';
import { overlayFrames } from './overlay-frames.js';

const frameAt = (index: number): Frame => {
  const image = { width: 32, height: 24, data: new Uint8Array(32 * 24 * 3).fill(index * 10) };
  return { index, ptsSeconds: index / 10, image, input: image };
};
const map = camMap(2, 2, new Float32Array([0, 0.2, 0.6, 1]));
const maps: ExplanationMaps = { members: { gradcam: map }, consensus: map, metacam: camMap(2, 2, new Float32Array([0, 0, 0.6, 1])) };
const explanationAt = (index: number): FrameExplanation => ({
  index,
  ptsSeconds: index / 10,
  target: { index: 0, label: 'Drawing', score: 0.5 },
  top5: [],
  members: {},
  merged: [],
  consensus: { tauRaw: 0.5, tauSmoothed: 0.5, areaPercent: 50, bbox: null, centroid: null },
  sceneCut: false,
  dropped: 0,
  timings: { forward: 12 },
});

describe('overlayFrames', () => {
  it('adds overlay + overlayMs, keeps other fields and order, records timings.overlay', async () => {
    const items = [0, 1, 2].map((i) => ({ frame: frameAt(i), explanation: explanationAt(i), maps, extra: `x${i}` }));
    const out = await firstValueFrom(from(items).pipe(overlayFrames({ colormap: 'turbo' }), toArray()));
    expect(out.map((o) => o.frame.index)).toEqual([0, 1, 2]);
    for (const [i, o] of out.entries()) {
      expect(o.extra).toBe(`x${i}`);
      expect(o.overlay.width).toBe(32);
      expect(o.overlay.data).not.toBe(o.frame.image.data);
      expect(o.overlayMs).toBeGreaterThanOrEqual(0);
      expect(o.explanation.timings).toEqual({ forward: 12, overlay: o.overlayMs });
      // The input item is not mutated.
      expect(items[i]!.explanation.timings).toEqual({ forward: 12 });
      expect(items[i]!.frame.image.data.every((v) => v === i * 10)).toBe(true);
    }
  });

  it('grid layout through the operator', async () => {
    const [o] = await firstValueFrom(
      from([{ frame: frameAt(1), explanation: explanationAt(1), maps }]).pipe(overlayFrames({ layout: 'grid' }), toArray()),
    );
    expect(o!.overlay.width % 2).toBe(0);
    expect(o!.overlay.height % 2).toBe(0);
  });

  it('rejects bad options when the operator is created, before any frame', () => {
    expect(() => overlayFrames({ show: 'everything' as 'raw' })).toThrow(MetacamError);
    expect(() => overlayFrames({ alpha: -0.1 })).toThrowError(/alpha -0.1 is not valid/);
  });
});
