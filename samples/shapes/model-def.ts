/**
 * Why: the shapes classifier's architecture in one place, with seeded initialisers so that training is
 * reproducible. conv1 (stride 2) → conv2 → pool → conv3 → pool, each conv + batch-norm + ReLU (batch-norm
 * makes a few epochs enough), then `conv_last` (3×3 + ReLU, 8×8 at a 64² input: the default CAM target
 * layer, the last 4-D output before global pooling), global average pooling, a dense softmax over 5 classes.
 * The `deep` variant (the `shapes-deep` testbed model) adds `conv_head` (3×3 + ReLU) *after* `conv_last`: the
 * class score is then not linear in conv_last's activations, its gradient there varies in space, and
 * Grad-CAM, HiResCAM and XGrad-CAM give different maps (with GAP → dense they are provably the same).
 */
import * as tf from '@tensorflow/tfjs';
import { SHAPE_LABELS } from './shape-geometry.js';

export interface ShapesModelOptions {
  readonly inputSize: number;
  readonly seed: number;
  readonly filters?: readonly [number, number, number, number];
  /** 'gap' (default): conv_last → GAP → dense. 'deep': conv_last → conv_head → GAP → dense. */
  readonly variant?: ShapesVariant;
}

export type ShapesVariant = 'gap' | 'deep';
export const SHAPES_VARIANTS: readonly ShapesVariant[] = ['gap', 'deep'];
/** Filters of `conv_head` in the deep variant. */
export const HEAD_CONV_FILTERS = 32;

export const LAST_CONV_LAYER = 'conv_last';

export function buildShapesModel(opts: ShapesModelOptions): tf.LayersModel {
  const [f1, f2, f3, f4] = opts.filters ?? [16, 32, 48, 64];
  let seed = opts.seed;
  const init = () => tf.initializers.heNormal({ seed: seed++ });
  const block = (x: tf.SymbolicTensor, filters: number, name: string, strides = 1): tf.SymbolicTensor => {
    const c = tf.layers.conv2d({ filters, kernelSize: 3, strides, padding: 'same', useBias: false, name, kernelInitializer: init() }).apply(x);
    const b = tf.layers.batchNormalization({ name: `${name}_bn`, momentum: 0.9 }).apply(c);
    return tf.layers.reLU({ name: `${name}_relu` }).apply(b) as tf.SymbolicTensor;
  };
  const input = tf.input({ shape: [opts.inputSize, opts.inputSize, 3], name: 'image' });
  let x = block(input, f1, 'conv1', 2);
  x = block(x, f2, 'conv2');
  x = tf.layers.maxPooling2d({ poolSize: 2, name: 'pool2' }).apply(x) as tf.SymbolicTensor;
  x = block(x, f3, 'conv3');
  x = tf.layers.maxPooling2d({ poolSize: 2, name: 'pool3' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.conv2d({
    filters: f4, kernelSize: 3, padding: 'same', activation: 'relu', name: LAST_CONV_LAYER, kernelInitializer: init(), biasInitializer: 'zeros',
  }).apply(x) as tf.SymbolicTensor;
  if (opts.variant === 'deep') {
    x = tf.layers.conv2d({
      filters: HEAD_CONV_FILTERS, kernelSize: 3, padding: 'same', activation: 'relu', name: 'conv_head', kernelInitializer: init(), biasInitializer: 'zeros',
    }).apply(x) as tf.SymbolicTensor;
  }
  x = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(x) as tf.SymbolicTensor;
  const out = tf.layers.dense({
    units: SHAPE_LABELS.length, activation: 'softmax', name: 'predictions',
    kernelInitializer: tf.initializers.glorotUniform({ seed: seed++ }), biasInitializer: 'zeros',
  }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out, name: opts.variant === 'deep' ? 'shapes_deep_cnn' : 'shapes_cnn' });
}
