import { describe, expect, it } from 'vitest';
import { createFlow } from './flow.js';

describe('createFlow', () => {
  it('grants up to highWaterMark credits, then waits for a release (FIFO)', async () => {
    const flow = createFlow({ highWaterMark: 2 });
    await flow.acquire();
    await flow.acquire();
    expect(flow.inFlight).toBe(2);
    const order: number[] = [];
    const a = flow.acquire().then(() => order.push(1));
    const b = flow.acquire().then(() => order.push(2));
    await Promise.resolve();
    expect(order).toEqual([]);
    flow.release();
    await a;
    expect(order).toEqual([1]);
    expect(flow.inFlight).toBe(2);
    flow.release(2);
    await b;
    expect(order).toEqual([1, 2]);
    expect(flow.inFlight).toBe(1);
    expect(flow.peakInFlight).toBe(2);
  });

  it('ignores extra releases', () => {
    const flow = createFlow({ highWaterMark: 1 });
    flow.release(5);
    expect(flow.inFlight).toBe(0);
  });

  it('close() rejects waiting and later acquires with E_INTERRUPTED, and is idempotent', async () => {
    const flow = createFlow({ highWaterMark: 1 });
    await flow.acquire();
    const waiting = flow.acquire();
    flow.close();
    flow.close();
    await expect(waiting).rejects.toMatchObject({ code: 'E_INTERRUPTED' });
    await expect(flow.acquire()).rejects.toMatchObject({ code: 'E_INTERRUPTED' });
    expect(flow.closed).toBe(true);
  });

  it.each([0, -1, 1.5, Number.NaN])('rejects highWaterMark %s', (h) => {
    expect(() => createFlow({ highWaterMark: h })).toThrow(expect.objectContaining({ code: 'E_ARG' }));
  });
});
