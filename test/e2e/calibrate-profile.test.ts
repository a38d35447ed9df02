/**
 * `metacam calibrate` → profile → `--profile`, end to end with the real shapes model, the real calibration clip
 * and real ffmpeg: a few frames and two groups keep it short. The profile validates against its schema; image,
 * explain (audit header) and evaluate use it; another model, a tampered file and a missing file exit 2 with
 * their codes.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { ffmpeg } from '../helpers/make-media.js';
import { METHODS } from '../../src/explain/methods/index.js';
import { checkProfile, type MetacamProfile } from '../../src/metacam/profile.js';

const KNOWN = METHODS.map((m) => m.id);
const CLIP = 'samples/shapes/clip.mp4';
const dir = mkdtempSync(join(tmpdir(), 'metacam-calibrate-'));
const profilePath = join(dir, 'shapes.profile.json');
const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');
let profile: MetacamProfile;

beforeAll(async () => {
  const r = await runCli(['calibrate', CLIP, '-g', 'samples/shapes/clip.gt.jsonl', '-m', 'shapes', '--groups', 'gradcam,eigen', '--frames', '3', '-o', profilePath]);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toMatch(/chosen: \{/);
  profile = checkProfile(JSON.parse(readFileSync(profilePath, 'utf8')), KNOWN, profilePath);
}, 240_000);

describe('metacam calibrate', () => {
  it('writes a schema-valid profile: 3 subsets scored on 3 frames with intervals, the chosen subset\'s members at weight 1', () => {
    expect(profile).toMatchObject({ model: { id: 'shapes' }, layer: 'conv_last', topK: 10, protocol: 'fair', groundTruth: true, consensus: 'weighted', primary: 'pointingGame', clip: { name: 'clip.mp4', sha256: sha256(CLIP) } });
    expect(profile.frames).toHaveLength(3);
    expect(profile.subsets.map((s) => s.groups)).toEqual([['gradcam'], ['eigen'], ['gradcam', 'eigen']]);
    for (const s of profile.subsets) {
      expect(s.pointingGame).toBeGreaterThanOrEqual(s.pointingGameCi![0]);
      expect(s.pointingGame).toBeLessThanOrEqual(s.pointingGameCi![1]);
      expect(s.road).toBeGreaterThanOrEqual(s.roadCi[0]);
      expect(s.road).toBeLessThanOrEqual(s.roadCi[1]);
    }
    expect(profile.singles.map((s) => s.id)).toEqual(['gradcam', 'gradcam++', 'eigencam', 'eigengradcam']);
    const chosen = profile.subsets[profile.chosen.index]!;
    expect(profile.members).toEqual(chosen.members);
    expect(profile.weights).toEqual(Object.fromEntries(chosen.members.map((m) => [m, 1])));
    // No other subset has a better pointing game, nor an equal one with a better ROAD.
    for (const s of profile.subsets) {
      expect(s.pointingGame! < chosen.pointingGame! || (s.pointingGame === chosen.pointingGame && s.road <= chosen.road)).toBe(true);
    }
    expect(Object.keys(profile.cre.byGroup)).toEqual(['gradcam', 'eigen']);
  });

  it('image --profile explains with the profile\'s members and reports its sha256', async () => {
    const png = join(dir, 'frame.png');
    await ffmpeg(['-i', CLIP, '-frames:v', '1', png]);
    const r = await runCli(['image', png, '-m', 'shapes', '--profile', profilePath, '-o', join(dir, 'frame.out.png'), '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { members: string[]; consensus: string; profile: { sha256: string; name: string } };
    expect(out).toMatchObject({ members: profile.members, consensus: 'weighted', profile: { sha256: sha256(profilePath), name: 'shapes.profile.json' } });
  }, 120_000);

  it('explain --profile records the profile in the audit header, and the log verifies', async () => {
    const audit = join(dir, 'log.jsonl');
    const r = await runCli(['explain', CLIP, '-m', 'shapes', '--profile', profilePath, '-o', join(dir, 'out.mp4'), '--max-frames', '3', '--audit', audit, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Record<string, any>;
    expect(summary).toMatchObject({ members: profile.members, consensus: 'weighted', topK: profile.topK, profile: { sha256: sha256(profilePath) } });
    const header = JSON.parse(readFileSync(audit, 'utf8').split('\n')[0]!) as Record<string, any>;
    expect(header.profile).toEqual({ name: 'shapes.profile.json', sha256: sha256(profilePath) });
    expect(header.model.sha256).toBe(profile.model.sha256);
    expect(header.methods).toEqual(profile.members);
    expect(header.config.metacam).toMatchObject({ consensus: 'weighted', weights: profile.weights, topK: profile.topK });
    const verify = await runCli(['audit', 'verify', audit]);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
  }, 120_000);

  it('evaluate --profile on the same frames reproduces the calibration\'s scores: each member\'s ROAD, and the chosen subset\'s as MetaCAM', async () => {
    const json = join(dir, 'eval.json');
    // --road-frames 3 picks the same evenly spaced frames as calibrate --frames 3, with the same per-frame seeds.
    const r = await runCli(['evaluate', CLIP, '-g', 'samples/shapes/clip.gt.jsonl', '-m', 'shapes', '--profile', profilePath, '--groups', 'gradcam,eigen', '--road', '--road-frames', '3', '--json', json]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(readFileSync(json, 'utf8')) as Record<string, any>;
    expect(out).toMatchObject({ consensus: 'weighted', k: [profile.topK], roadFrames: profile.frames, profile: { sha256: sha256(profilePath) } });
    for (const s of profile.singles) expect(out.results[s.id]['10'].road).toBeCloseTo(s.road, 9);
    expect(out.results.metacam['10'].road).toBeCloseTo(profile.subsets[profile.chosen.index]!.road, 9);
  }, 180_000);

  it('live --profile records the profile in the audit header', async () => {
    const audit = join(dir, 'live.jsonl');
    const r = await runCli(['live', 'testsrc:160x120@5', '-m', 'shapes', '--profile', profilePath, '--port', '0', '--duration', '2', '--audit', audit, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const header = JSON.parse(readFileSync(audit, 'utf8').split('\n')[0]!) as Record<string, any>;
    expect(header.profile).toEqual({ name: 'shapes.profile.json', sha256: sha256(profilePath) });
    expect(header.methods).toEqual(profile.members);
    expect(header.config.metacam).toMatchObject({ consensus: 'weighted', weights: profile.weights });
  }, 120_000);

  it('without ground truth the choice is by ROAD and no pointing game is recorded', async () => {
    const path = join(dir, 'no-gt.json');
    const r = await runCli(['calibrate', CLIP, '-m', 'shapes', '--groups', 'eigen,gradcam', '--frames', '2', '-o', path, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const p = checkProfile(JSON.parse(readFileSync(path, 'utf8')), KNOWN, path);
    expect(p).toMatchObject({ groundTruth: false, primary: 'road' });
    expect(p.frames).toEqual([0, 79]);
    for (const s of [...p.subsets, ...p.singles]) expect(s.pointingGame).toBeUndefined();
    const best = Math.max(...p.subsets.map((s) => s.road));
    expect(p.subsets[p.chosen.index]!.road).toBe(best);
  }, 120_000);

  it('a profile for another model exits 2 with E_PROFILE_MISMATCH naming both hashes', async () => {
    const r = await runCli(['explain', CLIP, '-m', 'shapes-deep', '--profile', profilePath, '-o', join(dir, 'deep.mp4'), '--max-frames', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`E_PROFILE_MISMATCH.*${profile.model.sha256}.*[Rr]ecalibrate`));
  }, 120_000);

  it.each([
    ['a weight made negative', (p: Record<string, any>) => (p.weights[p.members[0]] = -1), /E_PROFILE_INVALID.*\/weights/],
    ['a field removed', (p: Record<string, any>) => delete p.layer, /E_PROFILE_INVALID.*'layer'/],
    ['a member renamed', (p: Record<string, any>) => { p.members = ['warpcam']; p.weights = { warpcam: 1 }; }, /E_METHOD_UNKNOWN.*'warpcam'/],
  ])('a tampered profile (%s) exits 2 before the model is loaded', async (_name, edit, message) => {
    const tampered = JSON.parse(readFileSync(profilePath, 'utf8')) as Record<string, any>;
    edit(tampered);
    const path = join(dir, 'tampered.json');
    writeFileSync(path, JSON.stringify(tampered));
    const r = await runCli(['image', join(dir, 'frame.png'), '-m', 'shapes', '--profile', path]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  }, 60_000);

  it('a missing profile exits 2 with E_PROFILE_MISSING', async () => {
    const r = await runCli(['image', join(dir, 'frame.png'), '-m', 'shapes', '--profile', join(dir, 'none.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/E_PROFILE_MISSING/);
  }, 60_000);
});

describe('the committed calibration profiles', () => {
  it.each(['shapes', 'shapes-deep'])('bench/results/calibration/%s-full-k10.profile.json is schema-valid, for the full preset at k = 10 under fair', (model) => {
    const p = checkProfile(JSON.parse(readFileSync(`bench/results/calibration/${model}-full-k10.profile.json`, 'utf8')), KNOWN);
    expect(p).toMatchObject({ model: { id: model }, topK: 10, protocol: 'fair', groundTruth: true, clip: { name: 'clip.mp4' } });
    expect(p.subsets).toHaveLength(63);
  });
});
