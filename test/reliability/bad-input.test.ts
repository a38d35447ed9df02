/**
 * What users really feed the tool: missing, empty, broken and unusual files. Each gets either a correct output
 * or a typed error with a stable code, exit code 2, no stack trace, no orphan ffmpeg, and no output file that
 * looks complete.
 */
import { mkdirSync, mkdtempSync, readFileSync, existsSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { mediaFacts } from '../helpers/media.js';
import { ffmpeg, makeClip, processesMentioning } from '../helpers/make-media.js';
import { makeTestClip } from '../../src/ingest/make-test-clip.js';

const dir = mkdtempSync(join(tmpdir(), 'metacam-bad-'));
const p = (name: string) => join(dir, name);
const FAST = ['--model', 'mobilenet-v2', '--methods', 'gradcam,eigencam', '--batch', '4'];

beforeAll(async () => {
  mkdirSync(p('a-directory.mp4'));
  writeFileSync(p('empty.mp4'), '');
  writeFileSync(p('random.mp4'), randomBytes(64 * 1024));
  await makeClip(p('whole.mp4'), { frames: 20 });
  const whole = readFileSync(p('whole.mp4'));
  writeFileSync(p('truncated.mp4'), whole.subarray(0, Math.floor(whole.length / 2)));
  await ffmpeg(['-f', 'lavfi', '-i', 'sine=frequency=440:duration=1', '-c:a', 'aac', p('audio-only.mp4')]);
  await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=96x64:rate=1', '-frames:v', '1', p('still.png')]);
  await makeClip(p('odd-641x359.mp4'), { width: 641, height: 359, frames: 4, pixFmt: 'yuv444p' });
  // Tagged by stream copy (an encode drops the tag in ffmpeg 4.1); makeTestClip checks the tag took.
  await makeTestClip({ path: p('rotated-90.mp4'), width: 160, height: 96, fps: 10, frames: 4, rotation: 90 });
  await makeClip(p('vfr.mp4'), { frames: 12, extra: ['-vf', "setpts='if(lt(N,6),N*0.1,0.6+(N-6)*0.04)/TB'", '-vsync', 'vfr'] });
  await makeClip(p('yuv444.mp4'), { frames: 4, pixFmt: 'yuv444p' });
  await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=128x96:rate=10', '-frames:v', '4', '-c:v', 'ffv1', '-pix_fmt', 'yuv420p10le', p('10bit.mkv')]);
  await makeClip(p('one-frame.mp4'), { frames: 1 });
}, 120_000);

function noStack(stderr: string): void {
  expect(stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
}

describe.each([
  ['missing path', 'does-not-exist.mp4', 'E_INPUT_MISSING'],
  ['a directory', 'a-directory.mp4', 'E_INPUT_NOT_FILE'],
  ['zero bytes', 'empty.mp4', 'E_INPUT_EMPTY'],
  ['random bytes named .mp4', 'random.mp4', 'E_INPUT_INVALID'],
  ['a truncated MP4 (cut mid-file)', 'truncated.mp4', 'E_INPUT_INVALID'],
  ['an audio-only file', 'audio-only.mp4', 'E_INPUT_INVALID'],
  ['a still image (points to `metacam image`)', 'still.png', 'E_INPUT_INVALID'],
])('bad input: %s', (_name, file, code) => {
  it(`exits 2 with ${code}, an actionable message, no stack, no output, no orphan ffmpeg`, async () => {
    const out = p(`out-${file}.mp4`);
    const r = await runCli(['explain', p(file), '-o', out, ...FAST]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`error ${code}:`);
    noStack(r.stderr);
    expect(existsSync(out)).toBe(false);
    expect(processesMentioning(dir)).toEqual([]);
  });
});

describe.each([
  ['odd dimensions 641×359 (yuv444p)', 'odd-641x359.mp4', 4],
  ['rotation metadata (90°)', 'rotated-90.mp4', 4],
  ['variable frame rate', 'vfr.mp4', 12],
  ['yuv444p input', 'yuv444.mp4', 4],
  ['10-bit input', '10bit.mkv', 4],
  ['a 1-frame video', 'one-frame.mp4', 1],
])('unusual input: %s', (_name, file, frames) => {
  it(`produces a correct MP4 with ${frames} frame(s)`, async () => {
    const out = p(`out-${file}.mp4`);
    const r = await runCli(['explain', p(file), '-o', out, ...FAST, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const facts = await mediaFacts(out);
    expect(facts.frames).toBe(frames);
    expect(facts.width % 2).toBe(0);
    expect(facts.height % 2).toBe(0);
    expect(facts.pixFmt).toBe('yuv420p');
    expect(processesMentioning(dir)).toEqual([]);
    expect(readdirSync(dir).filter((f) => f.includes('.partial.'))).toEqual([]);
  });
});

it('keeps display orientation for a rotated phone video', async () => {
  const out = p('rot-check.mp4');
  const r = await runCli(['explain', p('rotated-90.mp4'), '-o', out, ...FAST]);
  expect(r.code, r.stderr).toBe(0);
  const facts = await mediaFacts(out);
  expect([facts.width, facts.height]).toEqual([96, 160]);
});

describe('bad arguments and models', () => {
  it.each([
    [['--top-k', '0'], 'E_ARG', /--top-k/],
    [['--top-k', '100'], 'E_ARG', /--top-k/],
    [['--methods', 'gradcam,nosuchcam'], 'E_METHOD_UNKNOWN', /gradcam\+\+/],
    [['--layer', 'no_such_layer'], 'E_LAYER_NOT_FOUND', /out_relu/],
    [['--class', '7'], 'E_CLASS_OUT_OF_RANGE', /0–4/],
    [['--class', 'Cat'], 'E_CLASS_OUT_OF_RANGE', /Neutral/],
    [['--model', 'no-such-model'], 'E_MODEL_NOT_FOUND', /mobilenet-v2/],
  ])('%j → %s listing what is valid', async (flags, code, valid) => {
    const r = await runCli(['explain', p('one-frame.mp4'), '-o', p('x.mp4'), '--model', 'mobilenet-v2', ...flags]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`error ${code}:`);
    expect(r.stderr).toMatch(valid);
    noStack(r.stderr);
  });

  it('a model.json that is not JSON, or whose weight shard is missing, is E_MODEL_INVALID', async () => {
    const bad = join(dir, 'badmodel');
    mkdirSync(bad, { recursive: true });
    writeFileSync(join(bad, 'model.json'), 'this is not json');
    let r = await runCli(['explain', p('one-frame.mp4'), '-o', p('y.mp4'), '--model', join(bad, 'model.json')]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('error E_MODEL_INVALID:');
    const fixture = JSON.parse(readFileSync(new URL('../fixtures/cam-conformance/model.json', import.meta.url), 'utf8')) as object;
    const noShards = join(dir, 'noshards');
    mkdirSync(noShards, { recursive: true });
    writeFileSync(join(noShards, 'model.json'), JSON.stringify(fixture));
    r = await runCli(['explain', p('one-frame.mp4'), '-o', p('z.mp4'), '--model', join(noShards, 'model.json')]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('error E_MODEL_INVALID:');
    expect(r.stderr).toMatch(/shard/i);
  });

  it('--verbose shows the stack trace', async () => {
    const r = await runCli(['explain', p('does-not-exist.mp4'), '-o', p('v.mp4'), '--verbose']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\n\s+at .+:\d+:\d+/);
  });
});
