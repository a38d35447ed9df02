import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { finerComparisons, frameTargets, scoreFrames, type TargetKind } from './target-scores.js';

describe('finerComparisons (ranks 1–3 by |y_d − y_c|, ties in class order)', () => {
  it.each([
    [[1, 2, 0.5, 3], 1, [0, 3, 2]], // |Δ| = 1, 1.5, 1 → 0, 3 (tie, class order), 2
    [[5, 0, 4.9, 1, 4], 0, [2, 4, 3]],
    [[0, 1], 0, [1]], // only one other class: rank 1 only
    [[7], 0, []],
  ])('%j main %i → %j', (logits, main, want) => {
    expect(finerComparisons(logits, main)).toEqual(want);
  });
});

describe('scoreFrames', () => {
  const logits = [1, 2, 0.5, 3];
  const p = ((): number[] => { const e = logits.map(Math.exp); const s = e.reduce((a, b) => a + b); return e.map((x) => x / s); })();
  it.each<[TargetKind, number]>([
    ['logit', 2],
    ['softmax', p[1]!],
    ['finer', (p[0]! * (2 - 1) + p[3]! * (2 - 3) + p[2]! * (2 - 0.5)) / (p[0]! + p[3]! + p[2]! + 1e-9)],
  ])('%s of class 1 of %j', (kind, want) => {
    const t = tf.tensor2d(logits, [1, 4]);
    const s = scoreFrames(frameTargets(kind, logits, 4, [1]), t);
    expect(s.dataSync()[0]).toBeCloseTo(want, 5);
    tf.dispose([t, s]);
  });

  it('finer on a one-class model scores the logit', () => {
    const t = tf.tensor2d([3], [1, 1]);
    const s = scoreFrames(frameTargets('finer', [3], 1, [0]), t);
    expect(s.dataSync()[0]).toBeCloseTo(3, 6);
    tf.dispose([t, s]);
  });

  it('an unknown kind is an E_ARG naming the valid ones', () => {
    expect(() => frameTargets('prob' as TargetKind, [1], 1, [0])).toThrow(expect.objectContaining({ code: 'E_ARG', message: expect.stringMatching(/logit, softmax, finer/) }));
  });
});
