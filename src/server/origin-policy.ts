/**
 * Which browsers may talk to the preview server. A WebSocket is not covered by the same-origin policy, so
 * without these checks any web page open in the user's browser could connect to a loopback server and watch
 * the camera (cross-site WebSocket hijacking), or reach it by DNS rebinding. Two rules:
 *  - `Origin`, when present, must be the server's own host (same Host header) or listed in allowedOrigins.
 *    Non-browser clients send no Origin and are governed by the token alone.
 *  - When bound to loopback, the `Host` header must name a loopback host (defeats DNS rebinding, where the
 *    page's origin and Host both say attacker.example).
 */
import { isIP } from 'node:net';

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (h === '::1') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  return h === '::ffff:127.0.0.1';
}

/** Hostname (no port, no brackets) from a Host header value; undefined if it is malformed. */
export function hostnameOf(hostHeader: string | undefined): string | undefined {
  if (!hostHeader) return undefined;
  try {
    return new URL(`http://${hostHeader}`).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return undefined;
  }
}

export interface OriginPolicy {
  /** Server bound to loopback: Host must be loopback too. */
  readonly loopbackOnly: boolean;
  /** Exact origins (scheme://host[:port]) allowed besides the server's own. */
  readonly allowedOrigins: readonly string[];
}

export type PolicyVerdict = { readonly ok: true } | { readonly ok: false; readonly status: number; readonly reason: string };

export function checkRequest(policy: OriginPolicy, hostHeader: string | undefined, originHeader: string | undefined): PolicyVerdict {
  const hostname = hostnameOf(hostHeader);
  if (hostname === undefined) return { ok: false, status: 400, reason: 'missing or malformed Host header' };
  if (policy.loopbackOnly && !isLoopbackHost(hostname)) {
    return { ok: false, status: 403, reason: `Host ${hostname} is not loopback; the server is bound to loopback` };
  }
  if (originHeader === undefined) return { ok: true };
  let origin: URL;
  try {
    origin = new URL(originHeader);
  } catch {
    return { ok: false, status: 403, reason: 'malformed Origin header' };
  }
  const normalised = origin.origin; // scheme://host[:port] without default port
  if (policy.allowedOrigins.some((o) => safeOrigin(o) === normalised)) return { ok: true };
  if ((origin.protocol === 'http:' || origin.protocol === 'https:') && origin.host.toLowerCase() === hostHeader!.toLowerCase()) {
    return { ok: true };
  }
  return { ok: false, status: 403, reason: `Origin ${normalised.slice(0, 100)} is not allowed` };
}

function safeOrigin(o: string): string | undefined {
  try {
    return new URL(o).origin;
  } catch {
    return undefined;
  }
}
