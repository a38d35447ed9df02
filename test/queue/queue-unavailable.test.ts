/**
 * `explain --queue` with no Redis behind the URL: E_QUEUE_UNAVAILABLE, exit 2, in seconds, the password never
 * printed, and nothing written (not even the output folder). `worker --redis` likewise. Needs no redis-server.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { freePort as closedPort } from '../helpers/free-port.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';


const dir = mkdtempSync(join(tmpdir(), 'metacam-noqueue-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('an unreachable queue', () => {
  it('explain --queue → E_QUEUE_UNAVAILABLE, exit 2, nothing written, password redacted', async () => {
    const url = `redis://:hunter2@127.0.0.1:${await closedPort()}`;
    const out = join(dir, 'new-folder', 'out.mp4');
    const r = await runCli(['explain', 'samples/sample.mp4', '-o', out, '--audit', join(dir, 'new-folder', 'a.jsonl'), '--queue', url]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/E_QUEUE_UNAVAILABLE|Cannot reach the queue's Redis/);
    expect(r.stderr + r.stdout).not.toContain('hunter2');
    expect(existsSync(join(dir, 'new-folder'))).toBe(false);
  });

  it('worker --redis → E_QUEUE_UNAVAILABLE, exit 2', async () => {
    const r = await runCli(['worker', '--redis', `rediss://:hunter2@127.0.0.1:${await closedPort()}`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Cannot reach the queue's Redis at rediss:\/\/:\*\*\*@127\.0\.0\.1/);
    expect(r.stderr + r.stdout).not.toContain('hunter2');
  });

  it.each([
    [['explain', 'samples/sample.mp4', '-o', 'x.mp4', '--queue', 'http://h:1'], /redis:\/\/ or rediss:\/\//],
    [['explain', 'samples/sample.mp4', '-o', 'x.mp4', '--segment-seconds', '5'], /--segment-seconds needs --queue/],
    [['worker'], /needs --redis/],
  ])('%o → E_ARG', async (argv, message) => {
    const r = await runCli(argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});
