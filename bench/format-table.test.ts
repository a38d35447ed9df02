import { describe, expect, it } from 'vitest';
import { formatTable } from './format-table.js';
import type { ModelBench } from './model-bench.js';

const model = (over: Partial<ModelBench>): ModelBench => ({
  model: 'toy', inputSize: { width: 8, height: 8 }, layer: 'conv', activationShape: [2, 2, 4], batch: 8,
  methods: {}, methodsByChannelBudget: {}, methodOverForward: {}, metacamRealtimeMembers: ['a', 'b'], metacamFullMembers: ['a', 'b', 'c'],
  metacamFullMaxChannels: 16, stageMsPerFrame: {}, rssMiBAfterPhase: {},
  ratios: { metacamRealtimeOverForward: null, endToEndOverExplainOnly: null, optimizedOverUnoptimized: null },
  peakRssMiB: 100, tensorsBefore: 0, tensorsAfter: 0, timings: {}, phaseSeconds: {}, notes: [], ...over,
});

describe('formatTable', () => {
  it('marks each target met or MISSED, shows ×forward and channel budgets, — for what was not measured', () => {
    const text = formatTable([model({
      forwardFps: 20, methods: { gradcam: 10, scorecam: 1 }, methodsByChannelBudget: { scorecam: { 16: 2, 64: 1 } },
      ratios: { metacamRealtimeOverForward: 0.85, endToEndOverExplainOnly: 0.5, optimizedOverUnoptimized: null },
    })], ['gradcam', 'scorecam', 'fullgrad']);
    expect(text).toMatch(/gradcam\s+\| 10\.0 \(0\.50×\)/);
    expect(text).toMatch(/scorecam\s+\| 2\.00@16 1\.00@64/);
    expect(text).toMatch(/fullgrad\s+\| —/);
    expect(text).toMatch(/MetaCAM realtime \/ forward \(≥ 0\.8\)\s+\| 0\.85 met/);
    expect(text).toMatch(/end-to-end \/ explain-only \(≥ 0\.9\)\s+\| 0\.50 MISSED/);
    expect(text).toMatch(/optimised \/ unoptimised forward \(≥ 1\.5\)\s+\| —/);
  });
});
