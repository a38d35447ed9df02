/**
 * The CI-sized soak (about a minute; `npm run soak` runs the full 10 minutes): `metacam live testsrc` with 3 ws
 * clients connecting and disconnecting in a loop. No error, no client starved, a clean Ctrl-C exit with no
 * orphan ffmpeg, and an RSS slope after the warm-up that is bounded — generously, because the machine is
 * shared; a per-frame leak of one overlay or one activation tensor would be 50+ MiB/min here.
 *
 * The live process runs with a small V8 heap (old space 128 MiB, semi-space 2 MiB). Why: with default limits V8
 * collects lazily, and in one minute RSS climbed ~60 MiB/min in garbage alone (measured: the same run with the
 * small heap stays flat, 2.8 MiB/min over 2.5 min, and the unconstrained 3-minute soak levels off). The small
 * heap makes the slope measure what is retained, and turns a real JS-heap leak into a crash the soak reports.
 */
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { runSoak } from './soak.js';

const SLOPE_LIMIT_MIB_PER_MIN = 20;

it('a one-minute soak: no errors, clients served throughout, bounded RSS slope', async () => {
  const lines: string[] = [];
  const r = await runSoak({
    seconds: 70, sampleSeconds: 2, warmupSeconds: 15, source: 'testsrc:296x216@10',
    env: { NODE_OPTIONS: '--max-old-space-size=128 --max-semi-space-size=2' },
    json: join(ROOT, 'test-output', 'soak-short.json'), log: (l) => lines.push(l),
  });
  const table = lines.join('\n');
  expect(r.errors, table).toEqual([]);
  expect(r.exitCode, table).toBe(130);
  expect(r.connects, table).toBeGreaterThanOrEqual(9);
  expect(r.clientFrames, table).toBeGreaterThanOrEqual(r.connects);
  expect(Number(r.summary?.frames), table).toBeGreaterThan(0);
  expect(r.samples.filter((s) => s.t >= r.warmupSeconds).length, table).toBeGreaterThanOrEqual(10);
  expect(r.rssSlopeMiBPerMin, table).toBeLessThan(SLOPE_LIMIT_MIB_PER_MIN);
  console.log(table);
}, 300_000);
