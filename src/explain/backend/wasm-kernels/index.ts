/**
 * Why: gradients through early layers (Grad-CAM at any depth, Integrated Gradients, training the shapes
 * model) need kernels stock tfjs-backend-wasm 4.22 lacks or runs slowly. `registerWasmGradientKernels()`
 * adds them for the 'wasm' backend — idempotently, and keeping the stock kernels it wraps as fallbacks.
 * Every kernel is checked against the cpu backend in test/wasm-kernels/.
 */
import * as tf from '@tensorflow/tfjs-core';
// Gradient functions: tfjs-core's Node bundle registers none, and its ESM sources cannot load in Node; the
// @tensorflow/tfjs union bundle registers them all in the shared global registry (≈ 0.5 s, once).
import '@tensorflow/tfjs';
import type { KernelConfig } from '@tensorflow/tfjs-core';
import { avgPoolGradConfig } from './avg-pool-grad.js';
import { conv2dBackpropFilterConfig } from './conv2d-backprop-filter.js';
import { conv2dBackpropInputConfig } from './conv2d-backprop-input.js';
import { depthwiseBackpropFilterConfig } from './depthwise-backprop-filter.js';
import { depthwiseBackpropInputConfig } from './depthwise-backprop-input.js';
import { maxPoolGradConfig } from './max-pool-grad.js';
import { tileBroadcastConfig } from './tile-broadcast.js';
import { unsortedSegmentSumConfig } from './unsorted-segment-sum.js';

export { conv2dBackpropFilterOps } from './conv2d-backprop-filter.js';
export { conv2dBackpropInputOps } from './conv2d-backprop-input.js';
export { depthwiseBackpropFilterOps } from './depthwise-backprop-filter.js';
export { depthwiseBackpropInputOps } from './depthwise-backprop-input.js';
export { unsortedSegmentSumOps } from './unsorted-segment-sum.js';
export { isBroadcastTile } from './tile-broadcast.js';
export { maxPoolGradValues } from './max-pool-grad.js';
export { tiledPoolWindow } from './avg-pool-grad.js';

/** Kernel names this module registers (or re-routes) on 'wasm'. */
export const WASM_GRADIENT_KERNELS = [
  tf.Conv2DBackpropFilter,
  tf.Conv2DBackpropInput,
  tf.DepthwiseConv2dNativeBackpropInput,
  tf.DepthwiseConv2dNativeBackpropFilter,
  tf.UnsortedSegmentSum,
  tf.Tile,
  tf.MaxPoolGrad,
  tf.AvgPoolGrad,
] as const;

const MARK = Symbol.for('metacam.wasmGradientKernel');
type Marked = KernelConfig & { [MARK]?: true };

function install(config: KernelConfig): void {
  const current = tf.getKernel(config.kernelName, 'wasm') as Marked | undefined;
  if (current?.[MARK]) return;
  if (current) tf.unregisterKernel(config.kernelName, 'wasm');
  tf.registerKernel({ ...config, [MARK]: true } as Marked);
}

/**
 * Registers the missing/faster gradient kernels for the 'wasm' backend. Safe to call any number of times,
 * before or after the backend is initialised; kernels already installed by this module are left alone.
 * Returns the kernel names now served by this module.
 */
export function registerWasmGradientKernels(): readonly string[] {
  const stock = (name: string) => {
    const k = tf.getKernel(name, 'wasm') as Marked | undefined;
    return k?.[MARK] ? undefined : k;
  };
  install(conv2dBackpropFilterConfig);
  install(conv2dBackpropInputConfig(stock(tf.Conv2DBackpropInput)));
  install(depthwiseBackpropInputConfig);
  install(depthwiseBackpropFilterConfig);
  install(unsortedSegmentSumConfig);
  install(tileBroadcastConfig(stock(tf.Tile)));
  install(maxPoolGradConfig);
  install(avgPoolGradConfig(stock(tf.AvgPoolGrad)));
  return WASM_GRADIENT_KERNELS;
}
