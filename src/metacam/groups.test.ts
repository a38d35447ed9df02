import { describe, expect, it } from 'vitest';
import type { CamGroup } from '../explain/methods/types.js';
import { DEFAULT_GROUPS, groupsOf, resolveMembers, type MemberDescriptor } from './groups.js';

const perChannel = new Set(['scorecam', 'ablationcam']);
const descriptors: MemberDescriptor[] = (Object.entries(DEFAULT_GROUPS) as [CamGroup, readonly string[]][]).flatMap(([group, ids]) =>
  ids.map((id) => ({ id, group, perChannelPasses: perChannel.has(id) })),
);

describe('resolveMembers', () => {
  it('the default grouping has all 11 methods', () => {
    expect(descriptors).toHaveLength(11);
  });

  it.each([
    { name: 'realtime preset', sel: { preset: 'realtime' }, want: descriptors.filter((d) => !perChannel.has(d.id)).map((d) => d.id) },
    { name: 'nothing given → realtime', sel: {}, want: descriptors.filter((d) => !perChannel.has(d.id)).map((d) => d.id) },
    { name: 'full preset', sel: { preset: 'full' }, want: descriptors.map((d) => d.id) },
    { name: 'groups', sel: { groups: ['eigen', 'gradcam'] }, want: ['gradcam', 'gradcam++', 'eigencam', 'eigengradcam'] },
    { name: 'methods in registry order, deduplicated', sel: { methods: ['layercam', 'gradcam', 'layercam'] }, want: ['gradcam', 'layercam'] },
    { name: 'methods ∪ groups', sel: { methods: ['fullgrad'], groups: ['perturbation'] }, want: ['scorecam', 'ablationcam', 'fullgrad'] },
  ])('$name', ({ sel, want }) => {
    expect(resolveMembers(sel, descriptors)).toEqual(want);
  });

  it.each([
    { sel: { methods: ['gradcam', 'nope'] }, code: 'E_METHOD_UNKNOWN', msg: /unknown method 'nope'; valid methods: gradcam, gradcam\+\+/ },
    { sel: { groups: ['grad'] }, code: 'E_METHOD_UNKNOWN', msg: /unknown group 'grad'; valid groups: gradcam, hirescam, xgradcam, perturbation, eigen, fullgrad/ },
    { sel: { preset: 'fast' }, code: 'E_METHOD_UNKNOWN', msg: /unknown preset 'fast'; valid presets: realtime, full/ },
  ])('rejects $sel', ({ sel, code, msg }) => {
    expect(() => resolveMembers(sel, descriptors)).toThrow(expect.objectContaining({ code, message: expect.stringMatching(msg) }));
  });

  it('opt-in members (the baseline, unbenched methods) come only by name, never from a preset or a group', () => {
    const withOptIn: MemberDescriptor[] = [...descriptors, { id: 'fem', group: 'eigen', perChannelPasses: false, optIn: true }, { id: 'random', group: 'baseline', perChannelPasses: false, optIn: true }];
    expect(resolveMembers({ preset: 'full' }, withOptIn)).toEqual(descriptors.map((d) => d.id));
    expect(resolveMembers({ groups: ['eigen'] }, withOptIn)).toEqual(['eigencam', 'eigengradcam']);
    expect(resolveMembers({ methods: ['random', 'fem'] }, withOptIn)).toEqual(['fem', 'random']);
  });

  it('an empty result is an E_ARG', () => {
    expect(() => resolveMembers({ preset: 'realtime' }, descriptors.filter((d) => perChannel.has(d.id)))).toThrow(expect.objectContaining({ code: 'E_ARG' }));
  });

  it('groupsOf lists the groups present', () => {
    expect(groupsOf(['fullgrad', 'gradcam++', 'layercam'], descriptors)).toEqual(['gradcam', 'xgradcam', 'fullgrad']);
  });
});
