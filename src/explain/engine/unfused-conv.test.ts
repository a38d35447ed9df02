import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../backend/backend.js';
import { asGraphLayer } from '../model/model-graph.js';
import { unfusedConv, unfusedConvLinear } from './unfused-conv.js';

beforeAll(async () => {
  await selectBackend('wasm');
});

const maxAbs = (a: tf.Tensor, b: tf.Tensor): number => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);

describe('unfusedConv: the layer with plain ops', () => {
  const layers = [
    { name: 'Conv2D 3×3 stride 2 same, bias, relu6', make: () => tfl.layers.conv2d({ filters: 5, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu6', useBias: true, biasInitializer: 'randomNormal' }) },
    { name: 'Conv2D 1×1 valid, no bias', make: () => tfl.layers.conv2d({ filters: 4, kernelSize: 1, padding: 'valid', useBias: false }) },
    { name: 'DepthwiseConv2D 3×3 valid, bias, relu', make: () => tfl.layers.depthwiseConv2d({ kernelSize: 3, padding: 'valid', activation: 'relu', biasInitializer: 'randomNormal' }) },
    { name: 'DepthwiseConv2D 3×3 stride 2 same, multiplier 2', make: () => tfl.layers.depthwiseConv2d({ kernelSize: 3, strides: 2, padding: 'same', depthMultiplier: 2 }) },
  ];
  it.each(layers)('$name: same outputs and input gradient as layer.call', ({ make }) => {
    const layer = make();
    const x = tf.randomNormal([2, 9, 9, 3], 0, 1, 'float32', 5) as tf.Tensor4D;
    layer.apply(x); // builds the weights
    const g = asGraphLayer(layer);
    const viaLayer = () => layer.call(x, {}) as tf.Tensor;
    const plain = unfusedConv(g, x)!;
    expect(plain).toBeDefined();
    expect(maxAbs(plain, viaLayer())).toBeLessThan(1e-5);
    const gradLayer = tf.grad((a: tf.Tensor) => tf.sum(tf.square(layer.call(a, {}) as tf.Tensor)))(x);
    const gradPlain = tf.grad((a: tf.Tensor) => tf.sum(tf.square(unfusedConv(g, a)!)))(x);
    expect(maxAbs(gradPlain, gradLayer)).toBeLessThan(1e-4);
    tf.dispose([x, plain, gradLayer, gradPlain]);
    layer.dispose();
  });

  it('Conv2D 3×3 dilation 2 valid: same outputs (tfjs has no gradient for dilated convs either way)', () => {
    const layer = tfl.layers.conv2d({ filters: 3, kernelSize: 3, dilationRate: 2, padding: 'valid' });
    const x = tf.randomNormal([2, 9, 9, 3], 0, 1, 'float32', 4);
    layer.apply(x);
    expect(maxAbs(unfusedConv(asGraphLayer(layer), x)!, layer.call(x, {}) as tf.Tensor)).toBeLessThan(1e-5);
    layer.dispose();
  });

  it('the linear form skips the activation', () => {
    const layer = tfl.layers.conv2d({ filters: 2, kernelSize: 1, activation: 'relu', biasInitializer: 'randomNormal' });
    const x = tf.randomNormal([1, 3, 3, 2], 0, 1, 'float32', 9);
    layer.apply(x);
    const z = unfusedConvLinear(asGraphLayer(layer), x)!;
    expect(z.dataSync().some((v) => v < 0)).toBe(true);
    expect(maxAbs(tf.relu(z), unfusedConv(asGraphLayer(layer), x)!)).toBe(0);
    layer.dispose();
  });

  it('leaves other layers to the caller (and a dilated depthwise conv, whose layer ignores the dilation)', () => {
    const dense = tfl.layers.dense({ units: 2 });
    dense.apply(tf.zeros([1, 3]));
    expect(unfusedConv(asGraphLayer(dense), tf.zeros([1, 3]))).toBeUndefined();
    const dilated = tfl.layers.depthwiseConv2d({ kernelSize: 3, dilationRate: 2 });
    dilated.apply(tf.zeros([1, 9, 9, 2]));
    expect(unfusedConv(asGraphLayer(dilated), tf.zeros([1, 9, 9, 2]))).toBeUndefined();
  });

  it('the backward pass through it runs no Conv2DBackpropFilter (the layer, linear as before a batch-norm, does)', async () => {
    const layer = tfl.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', useBias: false });
    const x = tf.randomNormal([1, 6, 6, 3], 0, 1, 'float32', 2);
    layer.apply(x);
    const kernelsOf = async (f: () => tf.Tensor) => (await tf.profile(() => { f().dispose(); })).kernelNames;
    const fused = await kernelsOf(() => tf.grad((a: tf.Tensor) => tf.sum(layer.call(a, {}) as tf.Tensor))(x));
    const plain = await kernelsOf(() => tf.grad((a: tf.Tensor) => tf.sum(unfusedConv(asGraphLayer(layer), a)!))(x));
    expect(fused).toContain('Conv2DBackpropFilter');
    expect(plain).not.toContain('Conv2DBackpropFilter');
    expect(plain).toContain('Conv2DBackpropInput');
    layer.dispose();
  });
});
