import { describe, expect, it } from 'vitest';
import { METHODS, getMethod, getMethods, methodIds, methodsHelpText, methodsInGroup, createLayerCam } from './index.js';

const NEWER = ['fem', 'kpca-cam', 'segeigencam', 'shapleycam', 'finercam', 'refinecam', 'random'];

describe('CAM method registry', () => {
  it('holds the eleven original methods, the newer ones and the baseline once each, each with weights or a map', () => {
    expect(methodIds()).toEqual([
      'gradcam', 'gradcam++', 'hirescam', 'gradcam-elementwise', 'xgradcam', 'layercam',
      'scorecam', 'ablationcam', 'eigencam', 'eigengradcam', 'fullgrad',
      ...NEWER,
    ]);
    for (const m of METHODS) {
      expect(Boolean(m.weights) !== Boolean(m.map), m.id).toBe(true);
      expect(m.title && m.paper && m.cost, m.id).toBeTruthy();
    }
  });

  it.each([
    ['gradcam', ['gradcam', 'gradcam++', 'shapleycam', 'finercam', 'refinecam']],
    ['hirescam', ['hirescam', 'gradcam-elementwise']],
    ['xgradcam', ['xgradcam', 'layercam']],
    ['perturbation', ['scorecam', 'ablationcam']],
    ['eigen', ['eigencam', 'eigengradcam', 'fem', 'kpca-cam', 'segeigencam']],
    ['fullgrad', ['fullgrad']],
    ['baseline', ['random']],
  ] as const)('group %s = %j', (group, ids) => {
    expect(methodsInGroup(group).map((m) => m.id)).toEqual(ids);
  });

  it('capabilities are data: only Score-/Ablation-CAM pay per channel, only FullGrad backprops fully', () => {
    expect(METHODS.filter((m) => m.perChannelPasses).map((m) => m.id)).toEqual(['scorecam', 'ablationcam']);
    expect(METHODS.filter((m) => m.fullBackprop).map((m) => m.id)).toEqual(['fullgrad']);
    expect(METHODS.filter((m) => !m.needsGradients).map((m) => m.id)).toEqual(['scorecam', 'ablationcam', 'eigencam', 'fullgrad', 'fem', 'kpca-cam', 'random']);
  });

  it('the newer methods and the baseline are opt-in (never picked by a preset or --groups); the original eleven are not', () => {
    expect(METHODS.filter((m) => m.optIn).map((m) => m.id)).toEqual(NEWER);
  });

  it.each([
    [['hirescam', 'gradcam'], ['hirescam', 'gradcam']],
    [['gradcam', 'gradcam'], ['gradcam']],
    [['nope'], 'E_METHOD_UNKNOWN'],
    [['gradcam', 'grad-cam', 'score'], 'E_METHOD_UNKNOWN'],
  ] as const)('getMethods(%j) → %j', (ids, expected) => {
    if (typeof expected === 'string') {
      expect(() => getMethods(ids)).toThrow(expect.objectContaining({ code: expected }));
    } else {
      expect(getMethods(ids).map((m) => m.id)).toEqual(expected);
    }
  });

  it('an unknown id names the valid ones', () => {
    expect(() => getMethod('gradcampp')).toThrow(/unknown CAM method 'gradcampp'; valid methods: gradcam, gradcam\+\+, hirescam/);
    try {
      getMethods(['a', 'b']);
    } catch (e) {
      expect((e as Error).message).toMatch(/'a', 'b'/);
      expect((e as { exitCode: number }).exitCode).toBe(2);
    }
  });

  it('help text lists every id with its cost', () => {
    const lines = methodsHelpText().split('\n');
    expect(lines).toHaveLength(METHODS.length);
    for (const m of METHODS) expect(lines.some((l) => l.includes(m.id) && l.includes(m.cost))).toBe(true);
  });

  it('getMethods with extra layers builds RefineCAM over them; extra layers without refinecam are an E_ARG', () => {
    const [g, r] = getMethods(['gradcam', 'refinecam'], { extraLayers: ['conv2'] });
    expect(g).toBe(getMethod('gradcam'));
    expect([r!.id, r!.title]).toEqual(['refinecam', 'RefineCAM (+conv2)']);
    expect(() => getMethods(['gradcam'], { extraLayers: ['conv2'] })).toThrow(expect.objectContaining({ code: 'E_ARG', message: expect.stringMatching(/only refinecam uses/) }));
  });

  it('createLayerCam with layers keeps the id and says what it fuses', () => {
    const m = createLayerCam({ layers: ['conv2'] });
    expect(m.id).toBe('layercam');
    expect(m.title).toContain('conv2');
  });
});
