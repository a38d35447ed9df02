import { describe, expect, it } from 'vitest';
import { resolveMetaCamSettings, type MetaCamSettings } from './metacam-settings.js';

describe('resolveMetaCamSettings: the consensus rule and its weights', () => {
  it.each<[string, Partial<MetaCamSettings>, RegExp | Readonly<Record<string, number>> | undefined]>([
    ['sum without weights', { consensus: 'sum' }, undefined],
    ['weighted with weights', { consensus: 'weighted', weights: { gradcam: 1, scorecam: 0 } }, { gradcam: 1, scorecam: 0 }],
    ['weighted without weights', { consensus: 'weighted' }, /--profile/],
    ['weights with sum', { consensus: 'sum', weights: { gradcam: 1 } }, /only to the 'weighted' rule/],
    ['a negative weight', { consensus: 'weighted', weights: { gradcam: -1 } }, /'gradcam'.*≥ 0/],
    ['a NaN weight', { consensus: 'weighted', weights: { gradcam: NaN } }, /finite/],
    ['an infinite weight', { consensus: 'weighted', weights: { gradcam: Infinity } }, /finite/],
    ['all weights 0', { consensus: 'weighted', weights: { gradcam: 0, hirescam: 0 } }, /at least one weight > 0/],
    ['no weights at all', { consensus: 'weighted', weights: {} }, /at least one weight > 0/],
    ['an unknown rule', { consensus: 'vote' as never }, /valid rules: sum, group, weighted/],
  ])('%s', (_name, partial, want) => {
    if (want instanceof RegExp) {
      expect(() => resolveMetaCamSettings(partial)).toThrow(expect.objectContaining({ code: 'E_ARG', message: expect.stringMatching(want) }));
    } else {
      expect(resolveMetaCamSettings(partial).weights).toEqual(want);
    }
  });
});
