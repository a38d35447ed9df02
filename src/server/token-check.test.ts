import { describe, expect, it } from 'vitest';
import { authorised, presentedTokens, tokensEqual } from './token-check.js';

describe('token checks', () => {
  it.each([
    ['secret-token', 'secret-token', true],
    ['secret-token', 'secret-tokeN', false],
    ['secret-token', 'secret-token-longer', false],
    ['secret-token', '', false],
    ['secret-token', null, false],
  ])('tokensEqual(%s, %s) = %s', (a, b, expected) => {
    expect(tokensEqual(a, b as string | null)).toBe(expected);
  });

  it('collects tokens from the query and from metacam-token.* subprotocols', () => {
    const url = new URL('http://h/ws?token=a1');
    expect(presentedTokens(url, 'metacam, metacam-token.b2')).toEqual(['a1', 'b2']);
    expect(presentedTokens(new URL('http://h/ws'), undefined)).toEqual([]);
  });

  it('authorises anyone when no token is set, otherwise only a matching one', () => {
    expect(authorised(undefined, [])).toBe(true);
    expect(authorised('abcdefgh', [])).toBe(false);
    expect(authorised('abcdefgh', ['x', 'abcdefgh'])).toBe(true);
  });
});
