import { describe, expect, it } from 'vitest';
import { MessageBudget, truncateUtf8 } from './client-channel.js';

describe('MessageBudget', () => {
  it('allows a burst, then refills at the given rate', () => {
    const b = new MessageBudget(10, 3, 0);
    expect([b.take(0), b.take(0), b.take(0), b.take(0)]).toEqual([true, true, true, false]);
    expect(b.take(100)).toBe(true); // 100 ms at 10/s = one token
    expect(b.take(100)).toBe(false);
  });
});

describe('truncateUtf8', () => {
  it('keeps short strings and never splits a character', () => {
    expect(truncateUtf8('abc', 123)).toBe('abc');
    const s = 'é'.repeat(100); // 200 bytes
    const t = truncateUtf8(s, 123);
    expect(Buffer.byteLength(t)).toBeLessThanOrEqual(123);
    expect(t).toBe('é'.repeat(61));
  });
});
