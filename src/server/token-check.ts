/**
 * Access token checks for the preview server. The compare is constant-time: both sides are hashed to equal-
 * length SHA-256 digests first, so neither the token's length nor its common prefix with a guess leaks through
 * timing (crypto.timingSafeEqual itself requires equal lengths).
 */
import { createHash, timingSafeEqual } from 'node:crypto';

/** WebSocket subprotocol prefix that carries a token: `metacam-token.<token>` (for clients that cannot set a query). */
export const TOKEN_PROTOCOL_PREFIX = 'metacam-token.';
/** The subprotocol the server selects when a client offers it (browsers need one echoed back). */
export const VIEWER_PROTOCOL = 'metacam';

function digest(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}

export function tokensEqual(expected: string, given: string | null | undefined): boolean {
  if (typeof given !== 'string') return false;
  return timingSafeEqual(digest(expected), digest(given));
}

/** Tokens a request presents: the `token` query parameter and any `metacam-token.` subprotocol. */
export function presentedTokens(url: URL, protocolHeader: string | string[] | undefined): string[] {
  const found = url.searchParams.getAll('token');
  const header = Array.isArray(protocolHeader) ? protocolHeader.join(',') : protocolHeader ?? '';
  for (const p of header.split(',')) {
    const t = p.trim();
    if (t.startsWith(TOKEN_PROTOCOL_PREFIX)) found.push(t.slice(TOKEN_PROTOCOL_PREFIX.length));
  }
  return found;
}

/** True when no token is required, or any presented token matches (every candidate is compared). */
export function authorised(expected: string | undefined, presented: readonly string[]): boolean {
  if (expected === undefined) return true;
  let ok = false;
  for (const t of presented) ok = tokensEqual(expected, t) || ok;
  return ok;
}
