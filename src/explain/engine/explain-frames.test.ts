import { from, lastValueFrom, range, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { FrameMaps } from '../../core/frame-maps.js';
import type { Frame } from '../../core/frame.js';
import { batchesOf, explainFrames } from './explain-frames.js';

const frame = (index: number): Frame => ({
  index, ptsSeconds: index / 10,
  image: { width: 1, height: 1, data: new Uint8Array(3) }, input: { width: 1, height: 1, data: new Uint8Array(3) },
});

describe('batchesOf', () => {
  it('emits a first batch of `first`, then batches of `size`, then the remainder', async () => {
    const sizes = (await lastValueFrom(range(0, 21).pipe(batchesOf(2, 8), toArray()))).map((b) => b.length);
    expect(sizes).toEqual([2, 8, 8, 3]);
    expect(await lastValueFrom(range(0, 21).pipe(batchesOf(2, 8), toArray())).then((bs) => bs.flat())).toEqual([...Array(21).keys()]);
    expect((await lastValueFrom(range(0, 1).pipe(batchesOf(2, 8), toArray()))).map((b) => b.length)).toEqual([1]);
  });
  it('rejects sizes that are not positive integers', () => {
    expect(() => batchesOf(0, 8)).toThrow(/positive integer/);
    expect(() => batchesOf(2, 1.5)).toThrow(/positive integer/);
  });
});

describe('explainFrames: first batch, early hand-over', () => {
  it('pairs every frame with its maps, in order, and has one batch at the explainer at a time', async () => {
    const calls: number[][] = [];
    let busy = 0;
    let maxBusy = 0;
    const explainer = {
      async explainBatch(frames: readonly Frame[]): Promise<FrameMaps[]> {
        calls.push(frames.map((f) => f.index));
        maxBusy = Math.max(maxBusy, ++busy);
        await new Promise((r) => setTimeout(r, 1));
        busy--;
        return frames.map((f) => ({ index: f.index }) as unknown as FrameMaps);
      },
    };
    const out = await lastValueFrom(from([...Array(13).keys()].map(frame)).pipe(explainFrames({ batchSize: 4, ...explainer }, { firstBatch: 2 }), toArray()));
    expect(calls).toEqual([[0, 1], [2, 3, 4, 5], [6, 7, 8, 9], [10, 11, 12]]);
    expect(out.map((o) => [o.frame.index, (o.maps as unknown as { index: number }).index])).toEqual([...Array(13).keys()].map((i) => [i, i]));
    expect(maxBusy).toBe(1);
  });

  it('hands the next batch to the explainer before the previous results reach a synchronous consumer', async () => {
    const order: string[] = [];
    const explainer = {
      async explainBatch(frames: readonly Frame[]): Promise<FrameMaps[]> {
        order.push(`explain ${frames[0]!.index}`);
        await Promise.resolve();
        return frames.map(() => ({}) as FrameMaps);
      },
    };
    await new Promise<void>((resolve, reject) => {
      from([0, 1, 2, 3].map(frame)).pipe(explainFrames({ batchSize: 2, ...explainer })).subscribe({
        next: (x) => order.push(`out ${x.frame.index}`), error: reject, complete: resolve,
      });
    });
    expect(order).toEqual(['explain 0', 'explain 2', 'out 0', 'out 1', 'out 2', 'out 3']);
  });

  it('passes an explainer failure on as the stream error', async () => {
    const explainer = { explainBatch: () => Promise.reject(new Error('boom')) };
    await expect(lastValueFrom(from([frame(0)]).pipe(explainFrames({ batchSize: 2, ...explainer })))).rejects.toThrow('boom');
  });
});
