/**
 * A Redis URL checked at the boundary: `redis://[user][:password]@host[:port][/db]` or `rediss://…` (TLS).
 * The password never leaves this file in printable form: `redacted` replaces it with `***`, and every log line,
 * error message and audit header uses `redacted`, never `url`.
 */
import { MetacamError } from '../errors.js';

export interface RedisTarget {
  /** The URL as given (holds the password: pass to ioredis only, never print). */
  readonly url: string;
  /** The URL with any password replaced by `***`: safe for logs, errors and the audit header. */
  readonly redacted: string;
  readonly host: string;
  readonly port: number;
  readonly db: number;
  readonly tls: boolean;
  readonly username?: string;
  readonly password?: string;
}

/** `redis://:pw@h:1/0` → `redis://:***@h:1/0`; anything unparsable → a fixed placeholder (it might hold a secret). */
export function redactRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString().replace(/\/$/, '');
  } catch {
    return '<unparsable redis url>';
  }
}

export function parseRedisUrl(url: string, flag = '--redis'): RedisTarget {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new MetacamError('E_ARG', `${flag} must be a URL like redis://host:6379 or rediss://:password@host:6380/0; got ${redactRedisUrl(url)}.`);
  }
  const redacted = redactRedisUrl(url);
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') {
    throw new MetacamError('E_ARG', `${flag} must start with redis:// or rediss:// (TLS); got ${redacted}.`);
  }
  if (!u.hostname) throw new MetacamError('E_ARG', `${flag} needs a host: ${redacted}.`);
  const port = u.port ? Number(u.port) : 6379;
  const dbText = u.pathname.replace(/^\//, '');
  const db = dbText === '' ? 0 : Number(dbText);
  if (!Number.isInteger(db) || db < 0) throw new MetacamError('E_ARG', `${flag}: the database after the host must be a number ≥ 0; got ${redacted}.`);
  return {
    url, redacted, host: u.hostname.replace(/^\[|\]$/g, ''), port, db, tls: u.protocol === 'rediss:',
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
  };
}
