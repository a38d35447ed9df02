import { createServer } from 'node:net';
import { freePort as closedPort } from '../../test/helpers/free-port.js';
import { describe, expect, it } from 'vitest';
import { checkRedis } from './redis-connection.js';
import { parseRedisUrl } from './redis-url.js';


describe('checkRedis', () => {
  it('nothing listening → E_QUEUE_UNAVAILABLE within the timeout, password redacted, exit code 2', async () => {
    const port = await closedPort();
    const started = Date.now();
    const err = await checkRedis(parseRedisUrl(`redis://:hunter2@127.0.0.1:${port}`), 1000).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(err).toMatchObject({ code: 'E_QUEUE_UNAVAILABLE', exitCode: 2 });
    expect((err as Error).message).toContain(`redis://:***@127.0.0.1:${port}`);
    expect((err as Error).message).not.toContain('hunter2');
  });

  it('a socket that never answers → E_QUEUE_UNAVAILABLE after the bounded timeout', async () => {
    const sockets = new Set<import('node:net').Socket>();
    const server = createServer((s) => { sockets.add(s); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      const started = Date.now();
      const err = await checkRedis(parseRedisUrl(`redis://127.0.0.1:${port}`), 500).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'E_QUEUE_UNAVAILABLE' });
      expect(Date.now() - started).toBeLessThan(1500);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
