/**
 * Redis connections for the queue. `checkRedis` runs first, with a bounded connect timeout and no retries, so an
 * unreachable or password-protected Redis fails in about a second as E_QUEUE_UNAVAILABLE (exit 2) before any
 * file is written. BullMQ then gets plain options (it opens its own connections; `maxRetriesPerRequest: null`
 * is what its blocking workers require). Messages name the redacted URL only.
 */
import { Redis } from 'ioredis';
import { MetacamError } from '../errors.js';
import type { RedisTarget } from './redis-url.js';

/** Default bound on reaching Redis at start-up. */
export const REDIS_CONNECT_TIMEOUT_MS = 3000;

/** Plain connection options, accepted by both ioredis and BullMQ. */
export interface QueueConnection {
  readonly host: string;
  readonly port: number;
  readonly db: number;
  readonly username?: string;
  readonly password?: string;
  readonly tls?: { readonly servername: string };
  readonly maxRetriesPerRequest: null;
}

export function redisOptions(t: RedisTarget): QueueConnection {
  return {
    host: t.host, port: t.port, db: t.db,
    ...(t.username ? { username: t.username } : {}),
    ...(t.password ? { password: t.password } : {}),
    ...(t.tls ? { tls: { servername: t.host } } : {}),
    maxRetriesPerRequest: null,
  };
}

export async function checkRedis(t: RedisTarget, timeoutMs = REDIS_CONNECT_TIMEOUT_MS): Promise<void> {
  const client = new Redis({
    ...redisOptions(t), lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0,
    enableOfflineQueue: false, retryStrategy: () => null, reconnectOnError: () => false,
  });
  // ioredis also emits failures as 'error' events; the awaited calls below carry them.
  client.on('error', () => {});
  const timer = new Promise<never>((_, reject) => {
    const t0 = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    t0.unref();
  });
  try {
    await Promise.race([client.connect().then(() => client.ping()), timer]);
  } catch (e) {
    const why = String((e as Error)?.message ?? e).replaceAll(t.password ?? '\u0000', '***');
    throw new MetacamError('E_QUEUE_UNAVAILABLE',
      `Cannot reach the queue's Redis at ${t.redacted}: ${why}. Start redis-server there (Debian: apt-get install redis-server), check the host, port and password, or run without --queue.`,
      { cause: e });
  } finally {
    client.disconnect();
  }
}
