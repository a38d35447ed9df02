import { describe, expect, it } from 'vitest';
import { camMap, type CamMap } from '../core/cam-map.js';
import type { FrameMaps } from '../core/frame-maps.js';
import type { RgbImage } from '../core/frame.js';
import { createMetaCam } from './create-metacam.js';
import { quantile } from './quantile.js';

function solid(rgb: [number, number, number]): RgbImage {
  const data = new Uint8Array(8 * 8 * 3);
  for (let p = 0; p < 64; p++) data.set(rgb, p * 3);
  return { width: 8, height: 8, data };
}

/** A 10×10 ramp raised to `power`: larger powers push the 0.9 quantile down. */
function ramp(power: number): CamMap {
  return camMap(10, 10, Float32Array.from({ length: 100 }, (_, i) => Math.pow(i / 99, power)));
}

const probabilities = Float32Array.from([0.05, 0.6, 0.1, 0.2, 0.03, 0.02]);
const labels = ['a', 'b', 'c', 'd', 'e'];

function frameMaps(index: number, maps: Record<string, CamMap>): FrameMaps {
  return { index, probabilities, classIndex: 3, maps, timings: { forward: 12, methods: 3 } };
}

describe('createMetaCam', () => {
  it('fills FrameExplanation completely', () => {
    const mc = createMetaCam({ members: ['x', 'y'], smoothSeconds: 0 });
    const { explanation: e, maps } = mc.explain({ index: 0, ptsSeconds: 0, input: solid([0, 0, 0]), dropped: 2 }, frameMaps(0, { x: ramp(1), y: ramp(1), z: ramp(2) }), labels);
    expect(e.index).toBe(0);
    expect(e.target).toEqual({ index: 3, label: 'd', score: probabilities[3] });
    expect(e.top5.map((c) => c.label)).toEqual(['b', 'd', 'c', 'a', 'e']);
    expect(Object.keys(e.members)).toEqual(['x', 'y']);
    expect(e.members.x.tauRaw).toBeCloseTo(quantile(ramp(1).data, 0.9), 6);
    expect(e.members.x.tauSmoothed).toBe(e.members.x.tauRaw);
    expect(e.members.x.areaPercent).toBe(10);
    // Both members agree: the consensus is the top 10% pixels, rows 9 (the last ten).
    expect(e.consensus.areaPercent).toBe(10);
    expect(e.consensus.bbox).toEqual({ x0: 0, y0: 0.9, x1: 1, y1: 1 });
    expect(e.consensus.centroid!.y).toBeCloseTo(0.95, 6);
    expect(e.sceneCut).toBe(false);
    // x and y are the same map: y is drawn but counted once, through x.
    expect(e.merged).toEqual([{ id: 'y', into: 'x', reason: 'identical-map', maxDifference: 0 }]);
    expect(e.dropped).toBe(2);
    expect(e.timings.forward).toBe(12);
    expect(e.timings.metacam).toBeGreaterThanOrEqual(0);
    expect(Object.keys(maps.members)).toEqual(['x', 'y']);
    expect(Math.max(...maps.consensus.data)).toBe(1);
    expect(Array.from(maps.metacam.data).filter((v) => v > 0)).toHaveLength(10);
    expect(JSON.parse(JSON.stringify(e))).toEqual(e);
  });

  it('smooths τ over time and a scene cut resets every smoother', () => {
    const mc = createMetaCam({ members: ['x'], smoothSeconds: 1 });
    const dark = solid([10, 10, 10]);
    const bright = solid([240, 200, 30]);
    const out = [
      mc.explain({ index: 0, ptsSeconds: 0, input: dark }, frameMaps(0, { x: ramp(1) }), labels).explanation,
      mc.explain({ index: 1, ptsSeconds: 0.1, input: dark }, frameMaps(1, { x: ramp(4) }), labels).explanation,
      mc.explain({ index: 2, ptsSeconds: 0.2, input: bright }, frameMaps(2, { x: ramp(4) }), labels).explanation,
    ];
    const beta = Math.exp(-0.1);
    // frame 1: same shot, τ moves only (1 − β) of the way.
    expect(out[1].members.x.tauSmoothed).toBeCloseTo(beta * out[0].members.x.tauRaw + (1 - beta) * out[1].members.x.tauRaw, 6);
    expect(out[1].members.x.tauSmoothed).not.toBeCloseTo(out[1].members.x.tauRaw, 3);
    expect(out.map((e) => e.sceneCut)).toEqual([false, false, true]);
    // frame 2: cut → smoothed = raw, for the member and the consensus.
    expect(out[2].members.x.tauSmoothed).toBe(out[2].members.x.tauRaw);
    expect(out[2].consensus.tauSmoothed).toBe(out[2].consensus.tauRaw);
  });

  it('a member whose map equals another\'s votes once: two identical maps do not outvote a third', () => {
    const up = ramp(1);
    const down = camMap(10, 10, Float32Array.from(up.data).reverse());
    const upScaled = camMap(10, 10, Float32Array.from(up.data, (v) => 0.5 * v + 0.1)); // the same map after normalisation
    const mc = createMetaCam({ members: ['x', 'y', 'z'], smoothSeconds: 0, binary: true });
    const { explanation: e, maps } = mc.explain({ index: 0, ptsSeconds: 0, input: solid([0, 0, 0]) }, frameMaps(0, { x: up, y: upScaled, z: down }), labels);
    expect(e.merged.map((m) => [m.id, m.into])).toEqual([['y', 'x']]);
    // Binary regions: x (last row) and z (first row) get one vote each and both rows survive; had y voted too, the
    // last row would have 2 votes to 1 and be the only region.
    expect(e.consensus.areaPercent).toBe(20);
    expect(e.consensus.bbox).toEqual({ x0: 0, y0: 0, x1: 1, y1: 1 });
    // The merged member keeps its own threshold and map (it is still drawn).
    expect(e.members.y.areaPercent).toBe(10);
    expect(Object.keys(maps.members)).toEqual(['x', 'y', 'z']);
    const distinct = createMetaCam({ members: ['x', 'z'], smoothSeconds: 0, binary: true });
    const d = distinct.explain({ index: 0, ptsSeconds: 0, input: solid([0, 0, 0]) }, frameMaps(0, { x: up, z: down }), labels);
    expect(Array.from(maps.metacam.data)).toEqual(Array.from(d.maps.metacam.data));
    expect(d.explanation.merged).toEqual([]);
  });

  it('the group rule gives each method group one vote', () => {
    const up = ramp(1);
    const down = camMap(10, 10, Float32Array.from(up.data).reverse());
    const upish = camMap(10, 10, Float32Array.from(up.data, (v, i) => (i === 0 ? 0.05 : v))); // not the same map as up
    const input = solid([0, 0, 0]);
    const explain = (consensus: 'sum' | 'group') =>
      createMetaCam({ members: ['x', 'y', 'z'], groups: { x: 'gradcam', y: 'gradcam', z: 'eigen' }, consensus, smoothSeconds: 0, binary: true })
        .explain({ index: 0, ptsSeconds: 0, input }, frameMaps(0, { x: up, y: upish, z: down }), labels).explanation;
    // sum: the gradcam pair (last row) outvotes eigen (first row); group: one vote each, both rows.
    expect(explain('sum').consensus.bbox).toEqual({ x0: 0, y0: 0.9, x1: 1, y1: 1 });
    expect(explain('group').consensus.bbox).toEqual({ x0: 0, y0: 0, x1: 1, y1: 1 });
    expect(explain('group').consensus.areaPercent).toBe(20);
  });

  it('the weighted rule: a heavy member outvotes an agreeing pair; a merged duplicate votes with its set\'s largest weight', () => {
    const up = ramp(1);
    const down = camMap(10, 10, Float32Array.from(up.data).reverse());
    const upish = camMap(10, 10, Float32Array.from(up.data, (v, i) => (i === 0 ? 0.05 : v)));
    const input = solid([0, 0, 0]);
    const bbox = (weights: Record<string, number>, maps: Record<string, CamMap>) =>
      createMetaCam({ members: ['x', 'y', 'z'], consensus: 'weighted', weights, smoothSeconds: 0, binary: true })
        .explain({ index: 0, ptsSeconds: 0, input }, frameMaps(0, maps), labels).explanation.consensus.bbox;
    const lastRow = { x0: 0, y0: 0.9, x1: 1, y1: 1 };
    const firstRow = { x0: 0, y0: 0, x1: 1, y1: 0.1 };
    expect(bbox({ x: 1, y: 1, z: 1 }, { x: up, y: upish, z: down })).toEqual(lastRow);
    expect(bbox({ x: 1, y: 1, z: 3 }, { x: up, y: upish, z: down })).toEqual(firstRow);
    // y = x's map: merged into x. Set {x, y} votes max(1, 1.5) = 1.5 < z's 2 (summing would give 2.5 > 2).
    expect(bbox({ x: 1, y: 1.5, z: 2 }, { x: up, y: up, z: down })).toEqual(firstRow);
    // x weighs 0 but stands for y (weight 3): the set votes 3 > 2.
    expect(bbox({ x: 0, y: 3, z: 2 }, { x: up, y: up, z: down })).toEqual(lastRow);
  });

  it('reset() forgets temporal state', () => {
    const mc = createMetaCam({ members: ['x'], smoothSeconds: 1 });
    const input = solid([0, 0, 0]);
    mc.explain({ index: 0, ptsSeconds: 0, input }, frameMaps(0, { x: ramp(1) }), labels);
    mc.reset();
    const e = mc.explain({ index: 1, ptsSeconds: 0.1, input }, frameMaps(1, { x: ramp(4) }), labels).explanation;
    expect(e.members.x.tauSmoothed).toBe(e.members.x.tauRaw);
  });

  it('an all-zero frame gives an empty region, no NaN', () => {
    const mc = createMetaCam({ members: ['x', 'y'], binary: true });
    const e = mc.explain({ index: 0, ptsSeconds: 0, input: solid([0, 0, 0]) }, frameMaps(0, { x: camMap(4, 4), y: camMap(4, 4) }), labels).explanation;
    expect(e.consensus).toEqual({ tauRaw: 0, tauSmoothed: 0, areaPercent: 0, bbox: null, centroid: null });
  });

  it.each([
    { name: 'no members', options: { members: [] }, code: 'E_ARG' },
    { name: 'duplicate members', options: { members: ['x', 'x'] }, code: 'E_ARG' },
    { name: 'k = 0', options: { members: ['x'], topK: 0 }, code: 'E_ARG' },
    { name: 'k = 100', options: { members: ['x'], topK: 100 }, code: 'E_ARG' },
    { name: 'negative smoothing', options: { members: ['x'], smoothSeconds: -1 }, code: 'E_ARG' },
    { name: 'bad scene-cut threshold', options: { members: ['x'], sceneCutThreshold: 2 }, code: 'E_ARG' },
    { name: 'an unknown consensus rule', options: { members: ['x'], consensus: 'vote' as 'sum' }, code: 'E_ARG' },
    { name: 'the group rule without the members\' groups', options: { members: ['x'], consensus: 'group' as const }, code: 'E_ARG' },
    { name: 'the weighted rule without weights', options: { members: ['x'], consensus: 'weighted' as const }, code: 'E_ARG' },
    { name: 'weights for none of the members', options: { members: ['x'], consensus: 'weighted' as const, weights: { other: 1 } }, code: 'E_ARG' },
  ])('rejects $name', ({ options, code }) => {
    expect(() => createMetaCam(options)).toThrow(expect.objectContaining({ code }));
  });

  it('a member without a map is an internal error naming the maps present', () => {
    const mc = createMetaCam({ members: ['x', 'w'] });
    expect(() => mc.explain({ index: 0, ptsSeconds: 0, input: solid([0, 0, 0]) }, frameMaps(0, { x: ramp(1) }), labels))
      .toThrow(expect.objectContaining({ code: 'E_INTERNAL', message: expect.stringMatching(/'w' has no map.*maps present: x/) }));
  });

  it('--smooth 0 --smooth-maps 0 leaves no temporal state: each frame is explained as if it were the first', () => {
    const a = ramp(1);
    const b = camMap(10, 10, Float32Array.from(a.data).reverse());
    const c = ramp(3);
    const seq = [a, b, c, a, c];
    const off = createMetaCam({ members: ['x'], smoothSeconds: 0, smoothMaps: 0 });
    seq.forEach((m, i) => {
      const streamed = off.explain({ index: i, ptsSeconds: i / 20, input: solid([i * 40, 0, 0]) }, frameMaps(i, { x: m }), labels);
      const fresh = createMetaCam({ members: ['x'], smoothSeconds: 0, smoothMaps: 0 }).explain({ index: i, ptsSeconds: i / 20, input: solid([i * 40, 0, 0]) }, frameMaps(i, { x: m }), labels);
      expect(Array.from(streamed.maps.metacam.data)).toEqual(Array.from(fresh.maps.metacam.data));
      expect(streamed.explanation.consensus.tauSmoothed).toBe(fresh.explanation.consensus.tauSmoothed);
    });
    // …while the defaults do carry state from frame to frame.
    const on = createMetaCam({ members: ['x'] });
    seq.forEach((m, i) => on.explain({ index: i, ptsSeconds: i / 20, input: solid([0, 0, 0]) }, frameMaps(i, { x: m }), labels));
    const first = createMetaCam({ members: ['x'] }).explain({ index: 0, ptsSeconds: 0, input: solid([0, 0, 0]) }, frameMaps(0, { x: c }), labels);
    const later = on.explain({ index: 5, ptsSeconds: 0.25, input: solid([0, 0, 0]) }, frameMaps(5, { x: c }), labels);
    expect(Array.from(later.maps.consensus.data)).not.toEqual(Array.from(first.maps.consensus.data));
  });

  it('with smoothMaps the consensus map is averaged over time', () => {
    const a = ramp(1);
    const b = camMap(10, 10, Float32Array.from(a.data).reverse());
    const input = solid([0, 0, 0]);
    const plain = createMetaCam({ members: ['x'], smoothSeconds: 0, smoothMaps: 0 });
    const smooth = createMetaCam({ members: ['x'], smoothSeconds: 0, smoothMaps: 1 });
    for (const mc of [plain, smooth]) mc.explain({ index: 0, ptsSeconds: 0, input }, frameMaps(0, { x: a }), labels);
    const p = plain.explain({ index: 1, ptsSeconds: 0.1, input }, frameMaps(1, { x: b }), labels);
    const s = smooth.explain({ index: 1, ptsSeconds: 0.1, input }, frameMaps(1, { x: b }), labels);
    // Without map smoothing the region jumps to the other end; with it, the old region still dominates.
    expect(p.explanation.consensus.bbox!.y0).toBe(0);
    expect(s.explanation.consensus.bbox!.y0).toBe(0.9);
  });
});
