/**
 * A real redis-server for a test: its own process on a free loopback port, nothing saved to disk, stopped (and
 * awaited) by `stop()`. Missing binary: `null` and a one-line notice locally; under CI=true a thrown error, so
 * CI cannot go green without running the queue tests.
 */
import { spawn, spawnSync } from 'node:child_process';
import { freePort } from './free-port.js';

export interface RedisServer {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  stop(): Promise<void>;
}


export function hasRedisServer(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

export async function startRedisServer(): Promise<RedisServer | null> {
  if (!hasRedisServer()) {
    const msg = 'redis-server not found: the queue tests need Debian\'s redis-server package (apt-get install redis-server)';
    if (process.env.CI === 'true') throw new Error(msg);
    console.warn(`skipping: ${msg}`);
    return null;
  }
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.setEncoding('utf8');
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`redis-server did not start on ${port}: ${out}`)), 10_000);
    child.stdout!.on('data', (d: string) => {
      out += d;
      if (/Ready to accept connections/.test(out)) { clearTimeout(timer); resolve(); }
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`redis-server exited (${code}): ${out}`)); });
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    url: `redis://127.0.0.1:${port}`, port, pid: child.pid!,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
