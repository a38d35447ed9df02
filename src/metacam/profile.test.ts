import { mkdtempSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkProfile, checkProfileModel, loadProfile, profileMetaCamSettings, type MetacamProfile } from './profile.js';

const KNOWN = ['gradcam', 'scorecam', 'eigencam'];
const SHA = 'a'.repeat(64);

/** A small profile that is valid by hand: two groups, three subsets, eigen chosen. */
function valid(): MetacamProfile {
  const scores = { road: 0.2, roadCi: [0.1, 0.3] as const, pointingGame: 0.9, pointingGameCi: [0.8, 1] as const };
  return {
    schemaVersion: 1, kind: 'metacam-profile', created: '2026-01-02T03:04:05.000Z', tool: { name: 'metacam-video', version: '0.1.0' },
    model: { id: 'shapes', sha256: SHA, format: 'tfjs-layers' }, layer: 'conv_last', topK: 10, binary: false, protocol: 'fair',
    frames: [0, 40, 79], clip: { name: 'clip.mp4', sha256: 'b'.repeat(64) }, groundTruth: true, consensus: 'weighted',
    members: ['eigencam'], weights: { eigencam: 1 }, primary: 'pointingGame', chosen: { index: 1, groups: ['eigen'] },
    subsets: [
      { groups: ['gradcam'], members: ['gradcam'], ...scores },
      { groups: ['eigen'], members: ['eigencam'], ...scores },
      { groups: ['gradcam', 'eigen'], members: ['gradcam', 'eigencam'], ...scores },
    ],
    singles: [{ id: 'gradcam', ...scores }, { id: 'eigencam', ...scores }],
    cre: { median: 0.2, byGroup: { gradcam: 0, eigen: 0 } }, ciLevel: 0.95,
  };
}

/** `valid()` with one change made by `edit` on a deep copy. */
function changed(edit: (p: Record<string, any>) => void): unknown {
  const p = JSON.parse(JSON.stringify(valid())) as Record<string, any>;
  edit(p);
  return p;
}

describe('checkProfile', () => {
  it('accepts a valid profile', () => {
    expect(checkProfile(valid(), KNOWN).members).toEqual(['eigencam']);
  });

  it.each<[string, (p: Record<string, any>) => void, string, RegExp]>([
    ['a missing field', (p) => delete p.model, 'E_PROFILE_INVALID', /must have required property 'model'/],
    ['an unknown field', (p) => (p.extra = 1), 'E_PROFILE_INVALID', /additional properties 'extra'/],
    ['another schema version', (p) => (p.schemaVersion = 2), 'E_PROFILE_INVALID', /\/schemaVersion/],
    ['a bad model hash', (p) => (p.model.sha256 = 'xyz'), 'E_PROFILE_INVALID', /\/model\/sha256/],
    ['k = 100', (p) => (p.topK = 100), 'E_PROFILE_INVALID', /\/topK/],
    ['another consensus rule', (p) => (p.consensus = 'sum'), 'E_PROFILE_INVALID', /\/consensus/],
    ['a negative weight', (p) => (p.weights.eigencam = -1), 'E_PROFILE_INVALID', /\/weights\/eigencam/],
    ['a weight that is a string', (p) => (p.weights.eigencam = '1'), 'E_PROFILE_INVALID', /\/weights\/eigencam/],
    ['no members', (p) => (p.members = []), 'E_PROFILE_INVALID', /\/members/],
    ['an unknown group in a subset', (p) => (p.subsets[0].groups = ['nope']), 'E_PROFILE_INVALID', /\/subsets\/0\/groups\/0/],
    ['a stray field in a subset', (p) => (p.subsets[0].note = 'x'), 'E_PROFILE_INVALID', /\/subsets\/0/],
    ['ROAD out of range', (p) => (p.subsets[1].road = 2), 'E_PROFILE_INVALID', /\/subsets\/1\/road/],
    ['weights for a non-member', (p) => (p.weights.gradcam = 1), 'E_PROFILE_INVALID', /not members: gradcam/],
    ['a member without a weight', (p) => (p.members = ['eigencam', 'gradcam']), 'E_PROFILE_INVALID', /missing gradcam/],
    ['all weights 0', (p) => (p.weights.eigencam = 0), 'E_PROFILE_INVALID', /at least one weight > 0/],
    ['chosen past the subsets', (p) => (p.chosen.index = 3), 'E_PROFILE_INVALID', /\/chosen\/index 3/],
    ['an unknown method', (p) => { p.members = ['warpcam']; p.weights = { warpcam: 1 }; }, 'E_METHOD_UNKNOWN', /'warpcam'.*valid methods: gradcam, scorecam, eigencam/],
  ])('%s → %s', (_name, edit, code, message) => {
    expect(() => checkProfile(changed(edit), KNOWN, 'p.json')).toThrow(expect.objectContaining({ code, message: expect.stringMatching(message) }));
  });
});

describe('loadProfile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'metacam-profile-'));

  it('reads a valid file and hashes its bytes', async () => {
    const path = join(dir, 'ok.json');
    const text = JSON.stringify(valid());
    writeFileSync(path, text);
    const loaded = await loadProfile(path, KNOWN);
    expect(loaded.name).toBe('ok.json');
    expect(loaded.sha256).toBe(createHash('sha256').update(text).digest('hex'));
  });

  it('a missing file is E_PROFILE_MISSING saying how to write one', async () => {
    await expect(loadProfile(join(dir, 'none.json'), KNOWN)).rejects.toMatchObject({ code: 'E_PROFILE_MISSING', message: expect.stringMatching(/metacam calibrate/) });
  });

  it('a file that is not JSON is E_PROFILE_INVALID', async () => {
    const path = join(dir, 'bad.json');
    writeFileSync(path, '{"schemaVersion": 1,');
    await expect(loadProfile(path, KNOWN)).rejects.toMatchObject({ code: 'E_PROFILE_INVALID', message: expect.stringMatching(/not JSON/) });
  });
});

describe('checkProfileModel and the settings a profile fixes', () => {
  const loaded = { profile: valid(), sha256: 'c'.repeat(64), name: 'p.json' };

  it('passes for the same model hash, and is E_PROFILE_MISMATCH naming both hashes otherwise', () => {
    expect(() => checkProfileModel(loaded, { id: 'shapes', sha256: SHA })).not.toThrow();
    const other = 'd'.repeat(64);
    expect(() => checkProfileModel(loaded, { id: 'shapes-deep', sha256: other }))
      .toThrow(expect.objectContaining({ code: 'E_PROFILE_MISMATCH', message: expect.stringMatching(new RegExp(`${SHA}.*${other}.*[Rr]ecalibrate`)) }));
  });

  it('sets rule weighted, the weights, k and binary', () => {
    expect(profileMetaCamSettings(valid())).toEqual({ consensus: 'weighted', weights: { eigencam: 1 }, topK: 10, binary: false });
  });
});
