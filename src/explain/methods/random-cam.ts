/**
 * Random-CAM — the sanity baseline of pytorch-grad-cam's `RandomCAM` (after Adebayo et al., "Sanity Checks for
 * Saliency Maps", NeurIPS 2018): a map that knows nothing about the class or the model's reasoning.
 *
 *   w_k ~ U(−1, 1) i.i.d. per frame and channel;  L = ReLU(Σ_k w_k A_k)
 *
 * Cost per frame: 1 forward, no gradient. Never a MetaCAM member by preset (`optIn`): `evaluate` reports it as the
 * floor every metric should beat. Reproducible: a seeded generator (mulberry32), advanced frame by frame, so the
 * same run gives the same maps; each frame still gets fresh weights.
 */
import * as tf from '@tensorflow/tfjs-core';
import { withKernelCheck } from './base.js';
import type { CamMethod } from './types.js';
import { mulberry32 } from '../../core/seeded-rng.js';

/** A Random-CAM whose weights come from its own generator seeded with `seed`. */
export function createRandomCam(options: { seed?: number } = {}): CamMethod {
  const next = mulberry32(options.seed ?? 0);
  return {
    id: 'random',
    title: 'Random-CAM (baseline)',
    paper: 'pytorch-grad-cam RandomCAM (sanity baseline, after Adebayo et al., NeurIPS 2018)',
    group: 'baseline',
    needsGradients: false,
    perChannelPasses: false,
    optIn: true,
    cost: '1 fwd (no grad)',
    weights: (ctx) =>
      withKernelCheck('random', () => {
        const [n, , , k] = ctx.activations.shape;
        return tf.tensor2d(Float32Array.from({ length: n * k }, () => 2 * next() - 1), [n, k]);
      }),
  };
}

export const randomCam: CamMethod = createRandomCam();
