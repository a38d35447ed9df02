import { describe, expect, it } from 'vitest';
import { parseEvaluateArgs, parseExplainArgs, parseImageArgs, parseLiveArgs } from './args.js';
import { parseCalibrateArgs } from './commands/calibrate.js';
import { withProfile } from './profile-flags.js';
import type { LoadedProfile, MetacamProfile } from '../metacam/profile.js';

const E_ARG = (message: RegExp) => expect.objectContaining({ code: 'E_ARG', message: expect.stringMatching(message) });

describe('--profile and the flags it fixes', () => {
  it('explain, image and live take --profile', () => {
    expect(parseExplainArgs(['in.mp4', '-o', 'out.mp4', '--profile', 'p.json']).profile).toBe('p.json');
    expect(parseImageArgs(['in.png', '--profile', 'p.json']).profile).toBe('p.json');
    expect(parseLiveArgs(['testsrc', '--profile', 'p.json']).profile).toBe('p.json');
  });

  it.each([
    ['--methods', 'gradcam'], ['--method', 'gradcam'], ['--groups', 'eigen'], ['--preset', 'full'],
    ['--consensus', 'sum'], ['--top-k', '20'], ['--layer', 'conv_last'], ['--binary'],
  ])('explain --profile with %s is E_ARG naming it', (...flag) => {
    expect(() => parseExplainArgs(['in.mp4', '-o', 'out.mp4', '--profile', 'p.json', ...flag])).toThrow(E_ARG(new RegExp(`drop ${flag[0]}`)));
    expect(() => parseImageArgs(['in.png', '--profile', 'p.json', ...flag])).toThrow(E_ARG(/--profile fixes/));
  });

  it('evaluate --profile keeps its member flags and --top-k list, but not --consensus/--layer/--binary', () => {
    expect(parseEvaluateArgs(['c.mp4', '--profile', 'p.json', '--preset', 'full', '--top-k', '5,10'])).toMatchObject({ profile: 'p.json', preset: 'full', topKs: [5, 10] });
    expect(() => parseEvaluateArgs(['c.mp4', '--profile', 'p.json', '--consensus', 'group'])).toThrow(E_ARG(/drop --consensus/));
  });

  it('--consensus weighted without --profile is E_ARG saying to pass one', () => {
    expect(() => parseExplainArgs(['in.mp4', '-o', 'out.mp4', '--consensus', 'weighted'])).toThrow(E_ARG(/--profile/));
    expect(() => parseEvaluateArgs(['c.mp4', '--consensus', 'weighted'])).toThrow(E_ARG(/--profile/));
  });

  it('--profile goes with --queue (the workers check the model and record the profile)', () => {
    expect(parseExplainArgs(['in.mp4', '-o', 'out.mp4', '--profile', 'p.json', '--queue', 'redis://localhost:6379'])).toMatchObject({ profile: 'p.json', queue: 'redis://localhost:6379' });
  });

  it('withProfile puts the profile\'s members, layer, weights and k in place (evaluate keeps its members)', () => {
    const profile = { members: ['scorecam', 'fullgrad'], weights: { scorecam: 1, fullgrad: 1 }, topK: 15, binary: false, layer: 'conv_last' } as unknown as MetacamProfile;
    const loaded: LoadedProfile = { profile, sha256: 'a'.repeat(64), name: 'p.json' };
    const explain = withProfile(parseExplainArgs(['in.mp4', '-o', 'out.mp4', '--profile', 'p.json']), loaded);
    expect(explain).toMatchObject({ methods: ['scorecam', 'fullgrad'], preset: undefined, layer: 'conv_last', consensus: 'weighted', weights: { scorecam: 1, fullgrad: 1 }, topK: 15 });
    const evaluate = withProfile(parseEvaluateArgs(['c.mp4', '--profile', 'p.json', '--groups', 'eigen']), loaded, true);
    expect(evaluate).toMatchObject({ groups: ['eigen'], consensus: 'weighted', weights: { scorecam: 1, fullgrad: 1 } });
    expect(withProfile(parseExplainArgs(['in.mp4', '-o', 'out.mp4']), undefined).consensus).toBe('sum');
  });
});

describe('parseCalibrateArgs', () => {
  it('defaults: full preset, k = 10, 24 frames, fair protocol', () => {
    expect(parseCalibrateArgs(['clip.mp4', '-o', 'p.json'])).toMatchObject({ input: 'clip.mp4', output: 'p.json', model: 'shapes', preset: 'full', topK: 10, frames: 24, roadProtocol: 'fair', defaultMembers: true });
    expect(parseCalibrateArgs(['clip.mp4', '-o', 'p.json', '-g', 'gt.jsonl', '--groups', 'eigen,gradcam', '--frames', '4', '--top-k', '20', '--road-protocol', 'pgc']))
      .toMatchObject({ groundTruth: 'gt.jsonl', groups: ['eigen', 'gradcam'], preset: undefined, frames: 4, topK: 20, roadProtocol: 'pgc', defaultMembers: false });
  });

  it.each([
    [['clip.mp4'], /-o profile.json/],
    [['clip.mp4', '-o', 'p.json', '--profile', 'q.json'], /does not take --profile/],
    [['clip.mp4', '-o', 'p.json', '--consensus', 'sum'], /does not take --consensus/],
    [['clip.mp4', '-o', 'p.json', '--frames', '0'], /--frames/],
    [['clip.mp4', '-o', 'p.json', '--top-k', '100'], /--top-k/],
    [['clip.mp4', '-o', 'p.json', '--road-protocol', 'best'], /fair or pgc/],
    [['-o', 'p.json'], /calibration clip/],
  ])('%j is E_ARG', (argv, message) => {
    expect(() => parseCalibrateArgs(argv)).toThrow(E_ARG(message));
  });
});
