/**
 * Gradients of gradient kernels that tfjs 4.22 does not register, so a gradient can itself be differentiated
 * (ShapleyCAM's Hessian-vector product through the head). Each is exact:
 * - AvgPoolGrad(dy, input) is linear in dy and does not depend on input's values: its gradient w.r.t. dy is the
 *   transpose of a transpose, avgPool itself; w.r.t. input, zero. (Keras MobileNetV2's global pool is an
 *   AveragePooling2D, so its head needs this.)
 * - Comparisons (LessEqual: ReLU6's gradient mask; Less, Greater, GreaterEqual, Equal) are piecewise constant:
 *   zero gradient almost everywhere.
 * Registered once, only where tfjs has none. MaxPoolGrad and the depthwise-convolution backprops still have no
 * gradient; ShapleyCAM falls back to its first-order form there.
 */
import * as tf from '@tensorflow/tfjs-core';

let registered = false;

export function ensureSecondOrderGradients(): void {
  if (registered) return;
  registered = true;
  if (!tf.getGradient('AvgPoolGrad')) {
    tf.registerGradient({
      kernelName: 'AvgPoolGrad',
      inputsToSave: ['input'],
      gradFunc: (ddx: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs: tf.NamedAttrMap) => {
        const { filterSize, strides, pad } = attrs as unknown as { filterSize: [number, number]; strides: [number, number]; pad: 'valid' | 'same' | number };
        return {
          dy: () => tf.avgPool(ddx as tf.Tensor4D, filterSize, strides, pad),
          input: () => tf.zerosLike(saved[0]!),
        };
      },
    });
  }
  for (const kernelName of ['LessEqual', 'Less', 'Greater', 'GreaterEqual', 'Equal']) {
    if (tf.getGradient(kernelName)) continue;
    tf.registerGradient({
      kernelName,
      inputsToSave: ['a', 'b'],
      gradFunc: (_dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => ({ a: () => tf.zerosLike(saved[0]!), b: () => tf.zerosLike(saved[1]!) }),
    });
  }
}
