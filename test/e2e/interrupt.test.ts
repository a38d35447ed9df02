/**
 * Ctrl-C during `metacam explain`: the run stops cleanly, exit 130, and nothing already produced is lost — a
 * playable `.partial.mp4` whose frame count equals the audit log's frame records, and a log sealed with an
 * `interrupted` footer that verifies intact against that video.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { startCli } from '../helpers/cli.js';
import { mediaFacts } from '../helpers/media.js';
import { makeClip, processesMentioning } from '../helpers/make-media.js';
import { verifyAuditLog } from '../../src/audit/verify-audit-log.js';

const dir = mkdtempSync(join(tmpdir(), 'metacam-sigint-'));
const input = join(dir, 'long.mp4');

beforeAll(async () => {
  await makeClip(input, { width: 160, height: 120, fps: 25, frames: 400, audio: true });
}, 60_000);

function frameRecords(path: string): number {
  if (!existsSync(path)) return 0;
  return readFileSync(path, 'utf8').split('\n').filter((l) => l.includes('"type":"frame"')).length;
}

async function until(pred: () => boolean, what: string, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

it('SIGINT leaves a playable partial MP4 and an audit log that agree frame for frame', async () => {
  const out = join(dir, 'out.mp4');
  const audit = join(dir, 'out.audit.jsonl');
  const run = startCli(['explain', input, '-o', out, '--model', 'mobilenet-v2', '--methods', 'gradcam,eigencam', '--batch', '4', '--audit', audit]);
  await until(() => frameRecords(audit) >= 8 || run.child.exitCode !== null, '8 logged frames', 120_000);
  run.child.kill('SIGINT');
  const r = await run.done;
  expect(r.code, r.stderr).toBe(130);
  expect(r.stdout).toMatch(/interrupted: partial video .*out\.partial\.mp4/);
  expect(existsSync(out)).toBe(false);
  const partial = join(dir, 'out.partial.mp4');
  const facts = await mediaFacts(partial);
  const v = await verifyAuditLog(audit, { videoPath: partial });
  expect(v.status, v.reason).toBe('intact');
  expect(v.footer?.exitReason).toBe('interrupted');
  expect(facts.frames).toBe(v.frames);
  expect(facts.frames).toBeGreaterThanOrEqual(8);
  expect(facts.frames).toBeLessThan(400);
  expect(processesMentioning(dir)).toEqual([]);
}, 240_000);
