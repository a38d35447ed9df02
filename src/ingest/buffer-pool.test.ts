import { describe, expect, it } from 'vitest';
import { BufferPool } from './buffer-pool.js';

describe('BufferPool', () => {
  it('allocates until something is released, then hands the released buffer out again', () => {
    const pool = new BufferPool(12);
    const a = pool.acquire();
    const b = pool.acquire();
    expect(a).not.toBe(b);
    expect(a.length).toBe(12);
    expect(pool.stats).toEqual({ allocated: 2, reused: 0, outstanding: 2, free: 0 });
    pool.release(a);
    expect(pool.owns(a)).toBe(false);
    const c = pool.acquire();
    expect(c).toBe(a);
    expect(pool.owns(c)).toBe(true);
    expect(pool.stats).toEqual({ allocated: 2, reused: 1, outstanding: 2, free: 0 });
  });

  it('never lends a buffer that is still out (no two holders of one buffer)', () => {
    const pool = new BufferPool(4);
    const out = new Set<Uint8Array>();
    for (let round = 0; round < 50; round++) {
      const b = pool.acquire();
      expect(out.has(b)).toBe(false);
      out.add(b);
      if (round % 3 !== 0) {
        const first = out.values().next().value!;
        out.delete(first);
        pool.release(first);
      }
    }
    expect(pool.stats.outstanding).toBe(out.size);
  });

  it('refuses a second release and a buffer it did not lend', () => {
    const pool = new BufferPool(4);
    const a = pool.acquire();
    pool.release(a);
    expect(() => pool.release(a)).toThrow(/did not lend/);
    expect(() => pool.release(new Uint8Array(4))).toThrow(/did not lend/);
  });

  it('keeps at most maxFree released buffers', () => {
    const pool = new BufferPool(4, 1);
    const a = pool.acquire();
    const b = pool.acquire();
    pool.release(a);
    pool.release(b);
    expect(pool.stats.free).toBe(1);
  });

  it('rejects a size or cap that is not a positive integer', () => {
    expect(() => new BufferPool(0)).toThrow(RangeError);
    expect(() => new BufferPool(3.5)).toThrow(RangeError);
    expect(() => new BufferPool(4, -1)).toThrow(RangeError);
  });
});
