/**
 * What the CAM methods share: the weighted sum Σ_k w_k A_k, the per-frame min-max the engine applies, the channel
 * budget of the per-channel methods (Faster-Score-CAM: keep the channels with the largest mean activation), map
 * resampling between layer resolutions, and turning tfjs' "kernel not registered" into a coded error.
 *
 * All functions are synchronous tensor code; each returns only tensors the caller then owns.
 */
import * as tf from '@tensorflow/tfjs-core';
import { MetacamError } from '../../errors.js';
import { withKernelErrors } from '../backend/kernel-errors.js';
import { principalProjection } from './principal-projection.js';
import type { CamContext, CamMethod } from './types.js';

/** pytorch-grad-cam's `scale_cam_image` epsilon: (v − min) / (max(v − min) + 1e-7). */
export const MINMAX_EPS = 1e-7;

/** Σ_k w[n,k]·A[n,:,:,k] → [N,h,w]. */
export function weightedSum(weights: tf.Tensor2D, activations: tf.Tensor4D): tf.Tensor3D {
  return tf.tidy(() => {
    const [n, , , k] = activations.shape;
    return tf.sum(tf.mul(activations, tf.reshape(weights, [n, 1, 1, k])), 3) as tf.Tensor3D;
  });
}

/**
 * Mean over the spatial axes of NHWC x [N,h,w,K] → [N,K], as one global average pool: on the wasm backend that
 * is ≈ 10× faster than tf.mean(x, [1, 2]), whose reduction first transposes the channels to the front.
 */
export function spatialMean(x: tf.Tensor4D): tf.Tensor2D {
  return tf.tidy(() => {
    const [n, h, w, k] = x.shape;
    return tf.reshape(tf.avgPool(x, [h, w], [h, w], 'valid'), [n, k]) as tf.Tensor2D;
  });
}

/** Sum over the spatial axes of NHWC x [N,h,w,K] → [N,K] (spatialMean × h·w). */
export function spatialSum(x: tf.Tensor4D): tf.Tensor2D {
  return tf.tidy(() => tf.mul(spatialMean(x), x.shape[1] * x.shape[2]) as tf.Tensor2D);
}

/** Per-frame (v − min)/(max(v − min) + eps) over every axis but the first. */
export function minMaxPerFrame<T extends tf.Tensor>(x: T, eps = MINMAX_EPS): T {
  return tf.tidy(() => {
    const axes = x.shape.map((_, i) => i).slice(1);
    const shifted = tf.sub(x, tf.min(x, axes, true));
    return tf.div(shifted, tf.add(tf.max(shifted, axes, true), eps)) as T;
  });
}

/**
 * Per-frame, per-channel min-max of an NHWC tensor (FullGrad's and Score-CAM's per-channel normalisation). The
 * spatial max is a global max-pool and the min a max-pool of −x: on wasm, tf.max/min over axes [1, 2] transpose
 * the whole tensor first (≈ 4 ms each for a [8,112,112,96] layer).
 */
export function minMaxPerChannel(x: tf.Tensor4D, eps = MINMAX_EPS): tf.Tensor4D {
  return tf.tidy(() => {
    const [, h, w] = x.shape;
    const spatialMax = (t: tf.Tensor4D): tf.Tensor4D => tf.maxPool(t, [h, w], [h, w], 'valid');
    const shifted = tf.sub(x, tf.neg(spatialMax(tf.neg(x)))) as tf.Tensor4D;
    return tf.div(shifted, tf.add(spatialMax(shifted), eps)) as tf.Tensor4D;
  });
}

/** What the engine does with a raw map: ReLU, then per-frame min-max into [0,1]. */
export function normalizeCam(raw: tf.Tensor3D): tf.Tensor3D {
  return tf.tidy(() => minMaxPerFrame(tf.relu(raw)));
}

/** The per-channel terms w_k·A_k [N,h,w,K] of a weights method. */
export function weightedTerms(weights: tf.Tensor2D, activations: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const [n, , , k] = activations.shape;
    return tf.mul(activations, tf.reshape(weights, [n, 1, 1, k])) as tf.Tensor4D;
  });
}

/** Whether `--eigen-smooth` changes the method's map (it has weights or channel terms). */
export function eigenSmoothable(method: CamMethod): boolean {
  return Boolean(method.weights || method.channels);
}

/**
 * A method's raw map [N,h,w] (before ReLU/normalisation), from its weights or its map. `eigenSmooth`
 * (pytorch-grad-cam's eigen_smooth): the first principal component of the terms the map would sum (w_k·A_k, or
 * `channels`), signed to agree with their plain sum (principal-projection.ts); other methods keep their map.
 */
export function rawCam(method: CamMethod, ctx: CamContext, how: { eigenSmooth?: boolean } = {}): tf.Tensor3D {
  return tf.tidy(() => {
    if (how.eigenSmooth && method.weights) return principalProjection(weightedTerms(method.weights(ctx), ctx.activations));
    if (how.eigenSmooth && method.channels) return principalProjection(method.channels(ctx));
    if (method.map) return method.map(ctx);
    if (method.weights) return weightedSum(method.weights(ctx), ctx.activations);
    throw new MetacamError('E_INTERNAL', `CAM method '${method.id}' supplies neither weights nor map`);
  });
}

/**
 * Channel budget: per frame, the indices [N,B] (int32, B = min(maxChannels, K)) of the channels with the largest
 * spatial mean activation, as Faster-Score-CAM keeps them. With B = K every channel is kept.
 */
export function selectChannels(activations: tf.Tensor4D, maxChannels: number): tf.Tensor2D {
  const k = activations.shape[3];
  if (!Number.isInteger(maxChannels) || maxChannels < 1) {
    throw new MetacamError('E_ARG', `maxChannels must be a positive integer, got ${maxChannels}`);
  }
  return tf.tidy(() => tf.topk(spatialMean(activations), Math.min(maxChannels, k), true).indices as tf.Tensor2D);
}

/**
 * One-hot rows as float32. tfjs-backend-wasm 4.22's OneHot kernel returns all zeros when asked for float32
 * directly, so build int32 and cast. tf.oneHot refuses depth 1 (a one-channel layer): that one-hot is all ones.
 */
export function oneHotFloat(indices: tf.Tensor, depth: number): tf.Tensor {
  if (depth === 1) return tf.ones([...indices.shape, 1]);
  return tf.tidy(() => tf.cast(tf.oneHot(indices as tf.Tensor1D, depth), 'float32'));
}

/** Places per-frame values [N,B] at channel indices [N,B] of a zero [N,K] weight matrix. */
export function scatterChannelWeights(indices: tf.Tensor2D, values: tf.Tensor2D, k: number): tf.Tensor2D {
  return tf.tidy(() => {
    const oneHot = oneHotFloat(indices, k) as tf.Tensor3D; // [N,B,K]
    return tf.squeeze(tf.matMul(tf.expandDims(values, 1) as tf.Tensor3D, oneHot), [1]) as tf.Tensor2D;
  });
}

/**
 * Runs `rows` passes in chunks of `chunk` rows; `pass(start, size)` returns one score per row [size]. Each chunk
 * runs in its own tidy so only the scores outlive it (the ablated/masked batches are large).
 */
export function chunkedScores(rows: number, chunk: number, pass: (start: number, size: number) => tf.Tensor1D): tf.Tensor1D {
  if (!Number.isInteger(chunk) || chunk < 1) throw new MetacamError('E_ARG', `passBatch must be a positive integer, got ${chunk}`);
  const parts: tf.Tensor1D[] = [];
  try {
    for (let start = 0; start < rows; start += chunk) {
      const size = Math.min(chunk, rows - start);
      parts.push(tf.tidy(() => pass(start, size)));
    }
    return tf.concat(parts) as tf.Tensor1D;
  } finally {
    tf.dispose(parts);
  }
}

/** Frame index of each row r of a frame-major [N×B] layout, for rows start..start+size−1 (int32 [size]). */
export function rowFrames(start: number, size: number, perFrame: number): tf.Tensor1D {
  return tf.tidy(() => tf.floorDiv(tf.range(start, start + size, 1, 'int32'), tf.scalar(perFrame, 'int32')) as tf.Tensor1D);
}

/** Target class of each row of a frame-major [N×B] layout. */
export function rowClasses(classes: readonly number[], start: number, size: number, perFrame: number): number[] {
  return Array.from({ length: size }, (_, i) => classes[Math.floor((start + i) / perFrame)]);
}

/**
 * Resamples NHWC maps to h×w: identity when equal, area average when shrinking by whole factors (bilinear
 * sampling would skip most input pixels), otherwise half-pixel bilinear (= cv2 INTER_LINEAR, the reference's).
 */
export function resampleMaps(x: tf.Tensor4D, h: number, w: number): tf.Tensor4D {
  const [, hin, win] = x.shape;
  if (hin === h && win === w) return tf.clone(x);
  if (hin > h && win > w && hin % h === 0 && win % w === 0) {
    return tf.avgPool(x, [hin / h, win / w], [hin / h, win / w], 'valid');
  }
  return tf.image.resizeBilinear(x, [h, w], false, true);
}

/**
 * Runs `fn`; a tfjs "kernel not registered" / "gradient function not found" failure becomes
 * MetacamError('E_BACKEND') naming the kernel, the backend and the method, with the way out.
 */
export function withKernelCheck<T>(methodId: string, fn: () => T): T {
  return withKernelErrors(`method '${methodId}'`, fn);
}
