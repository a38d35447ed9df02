/**
 * A view of a layer whose activation is softmax that outputs its pre-softmax values (logits), sharing the
 * original layer's weights. Gradient CAMs differentiate raw class scores, and a softmax output saturates.
 * The inner layer's activation is swapped to linear only for the duration of its `call` (tfjs layers read
 * `this.activation` at call time), so nothing is copied and the original model is unaffected.
 */
import type * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { GraphLayer } from './model-graph.js';

type Activation = NonNullable<GraphLayer['activation']>;

let linearActivation: Activation | undefined;
export function linear(): Activation {
  linearActivation ??= (tfl.layers.activation({ activation: 'linear' }) as unknown as { activation: Activation }).activation;
  return linearActivation;
}

/** True when this layer's output is a softmax (a Softmax layer, or a layer whose activation is softmax). */
export function isSoftmaxLayer(layer: GraphLayer): boolean {
  if (layer.getClassName() === 'Softmax') return true;
  return layer.activation?.getClassName() === 'softmax';
}

/** Runs `layer.call` with its activation temporarily linear: the pre-softmax output. */
export function callLinear(layer: GraphLayer, inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[] {
  if (layer.getClassName() === 'Softmax' || (layer.getClassName() === 'Activation' && layer.activation?.getClassName() === 'softmax')) {
    return Array.isArray(inputs) ? inputs[0] : inputs;
  }
  const saved = layer.activation;
  layer.activation = linear();
  try {
    return layer.call(inputs, kwargs);
  } finally {
    layer.activation = saved;
  }
}

/** Layer for symbolic graphs: same weights as `inner`, no softmax. */
export class LogitsView extends tfl.layers.Layer {
  private readonly inner: GraphLayer;
  constructor(inner: GraphLayer) {
    super({ name: `${inner.name}_logits`, trainable: false });
    this.inner = inner;
  }
  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape | tfl.Shape[] {
    return (this.inner as unknown as tfl.layers.Layer).computeOutputShape(inputShape);
  }
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[] {
    return callLinear(this.inner, inputs, kwargs);
  }
  override getClassName(): string {
    return 'LogitsView';
  }
}
