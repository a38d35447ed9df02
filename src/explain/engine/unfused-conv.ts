/**
 * Conv2D / DepthwiseConv2D layers computed with the plain (unfused) tfjs ops, for backward passes.
 *
 * Why: tfjs-layers runs Conv2D through `tf.fused.conv2d`, and under a gradient tape tfjs keeps the fused op
 * whenever the activation is linear (every conv before a batch-norm, as in MobileNetV2). Its custom gradient
 * returns the filter (and bias) gradient together with the input gradient, so each backward pass through such
 * a layer pays for a Conv2DBackpropFilter that FullGrad and LayerCAM never use. With the plain ops the tape
 * prunes gradients of tensors that do not depend on the differentiated inputs: the filter gradient is skipped.
 * Same values as the layer (test: unfused-conv.test.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import { pairOf, readWeight } from '../model/layer-config.js';
import type { GraphLayer } from '../model/model-graph.js';


/**
 * The layer's pre-activation (conv + bias) with plain ops, or undefined when the layer is not a 2-D NHWC
 * Conv2D/DepthwiseConv2D (the caller then runs the layer itself).
 */
export function unfusedConvLinear(layer: GraphLayer, x: tf.Tensor): tf.Tensor4D | undefined {
  const cls = layer.getClassName();
  if (cls !== 'Conv2D' && cls !== 'DepthwiseConv2D') return undefined;
  const config = layer.getConfig();
  if (config.dataFormat !== undefined && config.dataFormat !== 'channelsLast') return undefined;
  const padding = config.padding;
  if (padding !== 'same' && padding !== 'valid') return undefined;
  const kernel = readWeight(cls === 'Conv2D' ? layer.kernel : layer.depthwiseKernel) as tf.Tensor4D | undefined;
  if (!kernel || x.rank !== 4) return undefined;
  const strides = pairOf(config.strides, 1);
  const dilations = pairOf(config.dilationRate, 1);
  // tfjs-layers' DepthwiseConv2D ignores its dilationRate; leave such a layer to itself rather than disagree.
  if (cls === 'DepthwiseConv2D' && (dilations[0] !== 1 || dilations[1] !== 1)) return undefined;
  const z = cls === 'Conv2D'
    ? tf.conv2d(x as tf.Tensor4D, kernel, strides, padding, 'NHWC', dilations)
    : tf.depthwiseConv2d(x as tf.Tensor4D, kernel, strides, padding, 'NHWC', dilations);
  const bias = config.useBias === true ? readWeight(layer.bias) : undefined;
  return bias ? (tf.add(z, bias) as tf.Tensor4D) : z;
}

/** The whole layer (pre-activation, then its activation) with plain ops, or undefined as above. */
export function unfusedConv(layer: GraphLayer, x: tf.Tensor): tf.Tensor4D | undefined {
  const z = unfusedConvLinear(layer, x);
  if (!z) return undefined;
  const act = layer.activation;
  return act && act.getClassName() !== 'linear' ? (act.apply(z) as tf.Tensor4D) : z;
}
