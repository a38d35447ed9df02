import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { ensureGradientsRegistered } from './backend.js';
import { ensureSecondOrderGradients } from './second-order-gradients.js';

describe('second-order gradients', () => {
  it('avgPool: the Hessian-vector product of Σ avgPool(x)² is 2·Jᵀ(J·v), and ReLU6 differentiates twice', async () => {
    await tf.setBackend('cpu');
    await ensureGradientsRegistered();
    ensureSecondOrderGradients();
    const [x, v] = [tf.randomNormal([2, 4, 4, 3], 0, 1, 'float32', 1), tf.randomNormal([2, 4, 4, 3], 0, 1, 'float32', 2)];
    const before = tf.memory().numTensors;
    const [nested, direct] = tf.tidy(() => {
      const f = (a: tf.Tensor): tf.Scalar => tf.sum(tf.square(tf.avgPool(tf.relu6(a) as tf.Tensor4D, 2, 2, 'same')));
      const hv = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.grad(f)(a), v)))(x);
      // Where 0 < x < 6, relu6 is the identity: H·v = 2·Jᵀ(J·(m⊙v)) masked by m; computed with first-order gradients only.
      const m = tf.cast(tf.logicalAnd(tf.greater(x, 0), tf.less(x, 6)), 'float32');
      const jv = tf.avgPool(tf.mul(m, v) as tf.Tensor4D, 2, 2, 'same');
      const want = tf.mul(m, tf.grad((a: tf.Tensor) => tf.mul(tf.sum(tf.mul(tf.avgPool(a as tf.Tensor4D, 2, 2, 'same'), jv)), 2) as tf.Scalar)(x));
      return [hv, want];
    });
    expect(tf.memory().numTensors).toBe(before + 2);
    const [a, b] = [nested.dataSync(), direct.dataSync()];
    for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i]!, 5);
    tf.dispose([x, v, nested, direct]);
  });
});
