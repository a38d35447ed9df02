import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ChainAccumulator, sealFooterLine, splitFooterSeal } from './chain.js';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

describe('the chain rule', () => {
  it('prev is the hash of the last line; the seal is sha256(h1‖…‖h(n-1)‖sha256(zeroed footer))', () => {
    const c = new ChainAccumulator();
    expect(c.prev).toBeNull();
    expect(c.add('{"type":"header"}')).toBe(sha('{"type":"header"}'));
    c.add('{"type":"frame"}');
    expect(c.prev).toBe(sha('{"type":"frame"}'));
    const zeroed = `{"type":"footer","chainSha256":"${'0'.repeat(64)}"}`;
    const sealed = sealFooterLine(zeroed, c);
    const want = sha(sha('{"type":"header"}') + sha('{"type":"frame"}') + sha(zeroed));
    expect(sealed).toBe(`{"type":"footer","chainSha256":"${want}"}`);
    // seal() does not consume the accumulator: sealing twice gives the same answer
    expect(sealFooterLine(zeroed, c)).toBe(sealed);
  });

  it('the verifier recovers the zeroed footer and the claimed seal from the exact bytes', () => {
    const hex = 'ab'.repeat(32);
    const line = Buffer.from(`{"type":"footer","frames":3,"chainSha256":"${hex}"}`);
    const s = splitFooterSeal(line)!;
    expect(s.claimed).toBe(hex);
    expect(s.zeroed.toString()).toBe(`{"type":"footer","frames":3,"chainSha256":"${'0'.repeat(64)}"}`);
    expect(line.toString()).toContain(hex); // the original is untouched
  });

  it.each([
    ['seal not last', `{"chainSha256":"${'a'.repeat(64)}","frames":3}`],
    ['uppercase hex', `{"chainSha256":"${'A'.repeat(64)}"}`],
    ['short hash', `{"chainSha256":"${'a'.repeat(63)}"}`],
    ['trailing space', `{"chainSha256":"${'a'.repeat(64)}"} `],
  ])('rejects a footer line with %s', (_n, line) => {
    expect(splitFooterSeal(Buffer.from(line))).toBeNull();
  });
});
