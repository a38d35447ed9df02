/** The README's library example, run exactly as written (only the package name is pointed at src/). */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { mediaFacts } from '../helpers/media.js';

it('the README library example runs and writes a video with every frame', async () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## As a library'));
  const code = /```ts\n([\s\S]*?)```/.exec(section)![1]!;
  expect(code.split('\n').filter((l) => l.trim()).length).toBeLessThanOrEqual(20);
  const dir = mkdtempSync(join(tmpdir(), 'metacam-readme-'));
  const out = join(dir, 'library.mp4');
  const script = code.replace("from 'metacam-video'", `from ${JSON.stringify(join(ROOT, 'src/index.ts'))}`).replaceAll("'out/library.mp4'", JSON.stringify(out));
  mkdirSync(join(ROOT, 'test-output'), { recursive: true });
  const file = join(ROOT, 'test-output', 'readme-example.mts');
  writeFileSync(file, script);
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', file], { cwd: ROOT, maxBuffer: 1 << 24 });
  const input = await mediaFacts(join(ROOT, 'samples/sample.mp4'));
  const output = await mediaFacts(out);
  expect(output.frames).toBe(input.frames);
  expect(output.hasAudio).toBe(true);
  expect(stdout.trim().split('\n')).toHaveLength(input.frames); // the user's tap saw every frame
}, 300_000);
