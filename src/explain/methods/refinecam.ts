/**
 * RefineCAM — pytorch-grad-cam's `RefineCAM` (Gildenblat, arXiv:2605.14641): a meta-method that multiplies a base
 * method's maps from several target layers, so a fine early layer's detail survives only where the deep layer
 * agrees (it denoises early-layer attributions).
 *
 *   L_l = minmax(resize(minmax(ReLU(Grad-CAM++_l))));  L = minmax(Π_l L_l)   (resize: half-pixel bilinear to a
 *   common size)
 *
 * Cost per frame: 1 forward + the shared head gradient; with extra layers, one more backward through the layers
 * between the shallowest named layer and the head (ctx.model.layerActivationsAndGradients, as multi-layer
 * LayerCAM), plus a Grad-CAM++ per layer.
 * Reference vs ours: the reference multiplies at the input's resolution and its `[0,1]` rescaling loop is a no-op
 * (it rebinds a loop variable), which we reproduce by not rescaling. As a member we multiply at the finest layer's
 * resolution (`refineCamMaps`' size; the input's for the conformance test) and hand the engine the product
 * area-averaged to the target layer's resolution, the resolution every member map has (`fineMap`, for
 * --dump-maps, is the product at the finest layer's resolution). The extra layers'
 * gradients are those of the raw logit of the frame's class (what layerActivationsAndGradients computes), whatever
 * --target says.
 */
import * as tf from '@tensorflow/tfjs-core';
import { MetacamError } from '../../errors.js';
import { minMaxPerFrame, resampleMaps, weightedSum, withKernelCheck } from './base.js';
import { gradCamPlusPlusWeights } from './gradcam-plus-plus.js';
import type { CamContext, CamMethod } from './types.js';

/** A layer's activations and gradients, both [N,h,w,K]. */
interface LayerPair { readonly activations: tf.Tensor4D; readonly gradients: tf.Tensor4D }

/** The target layer first, then the extra `layers` (their tensors are new: the caller's tidy frees them). */
function layerPairs(ctx: CamContext, layers: readonly string[]): LayerPair[] {
  const pairs: LayerPair[] = [{ activations: ctx.activations, gradients: ctx.gradients() }];
  if (layers.length === 0) return pairs;
  const access = ctx.model.layerActivationsAndGradients;
  if (!access) {
    throw new MetacamError('E_BACKEND', `refinecam at layers ${layers.join(',')} needs per-layer gradients, which this model context does not offer; give one --layer`);
  }
  return [...pairs, ...access(layers, ctx.input, ctx.classes)];
}

/** The finest (largest) spatial size among the layers' activations. */
function finestSize(pairs: readonly LayerPair[]): [number, number] {
  let best: [number, number] = [0, 0];
  for (const { activations: a } of pairs) if (a.shape[1] * a.shape[2] > best[0] * best[1]) best = [a.shape[1], a.shape[2]];
  return best;
}

/**
 * minmax(Π_l minmax(resize_size(minmax(ReLU(Grad-CAM++_l))))) over the target layer and `layers` → [N,H,W] at
 * `size`, or at the finest layer's resolution ('finest').
 */
export function refineCamMaps(ctx: CamContext, layers: readonly string[], size: readonly [number, number] | 'finest'): tf.Tensor3D {
  return tf.tidy(() => {
    const pairs = layerPairs(ctx, layers);
    const [height, width] = size === 'finest' ? finestSize(pairs) : size;
    let product: tf.Tensor4D | undefined;
    for (const { activations, gradients } of pairs) {
      const low = minMaxPerFrame(tf.relu(weightedSum(gradCamPlusPlusWeights(gradients, activations), activations)));
      const up = resampleBilinear(tf.expandDims(low, 3) as tf.Tensor4D, height, width);
      const layerMap = minMaxPerFrame(up);
      product = product ? (tf.mul(product, layerMap) as tf.Tensor4D) : layerMap;
    }
    return tf.squeeze(minMaxPerFrame(product!), [3]) as tf.Tensor3D;
  });
}

/** Half-pixel bilinear (cv2 INTER_LINEAR, the reference's resize); identity at the same size. */
function resampleBilinear(x: tf.Tensor4D, h: number, w: number): tf.Tensor4D {
  return x.shape[1] === h && x.shape[2] === w ? tf.clone(x) : tf.image.resizeBilinear(x, [h, w], false, true);
}

/** RefineCAM over the target layer and the extra `layers` (names of other layers; none: Grad-CAM++ alone). */
export function createRefineCam(options: { layers?: readonly string[] } = {}): CamMethod {
  const layers = options.layers ?? [];
  return {
    id: 'refinecam',
    title: layers.length ? `RefineCAM (+${layers.join(',')})` : 'RefineCAM',
    paper: 'pytorch-grad-cam RefineCAM (arXiv:2605.14641)',
    group: 'gradcam',
    needsGradients: true,
    perChannelPasses: false,
    optIn: true,
    cost: layers.length ? '1 fwd + grad through the named layers + Grad-CAM++ per layer' : '1 fwd + head grad (shared)',
    map: (ctx) =>
      withKernelCheck('refinecam', () =>
        tf.tidy(() => {
          const [, h, w] = ctx.activations.shape;
          const fine = tf.expandDims(refineCamMaps(ctx, layers, 'finest'), 3) as tf.Tensor4D;
          return tf.squeeze(resampleMaps(fine, h, w), [3]) as tf.Tensor3D;
        }),
      ),
    fineMap: (ctx) => withKernelCheck('refinecam', () => refineCamMaps(ctx, layers, 'finest')),
  };
}

export const refineCam: CamMethod = createRefineCam();
