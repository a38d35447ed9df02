/**
 * ShapleyCAM — Cai et al., "CAMs as Shapley Value-based Explainers" (arXiv:2501.06261, 2025): CAM weights as a
 * second-order Taylor estimate of each channel's Shapley value.
 *
 *   w_k = mean_ij (g − ½·H·A)_kij,  g = ∂y/∂A,  H·A = ∂(g · A)/∂A (Hessian-vector product, A held fixed);
 *   L = ReLU(Σ_k w_k A_k)
 *
 * Where the head is linear in A (or piecewise linear: ReLU, pooling, dense on a raw logit), H·A = 0 and ShapleyCAM
 * is Grad-CAM; the second-order term appears with a curved target (--target softmax|finer) or head.
 * Cost per frame: 1 forward + the shared head gradient + a second-order backward through the head (≈ 2–3 head
 * backward passes; backend/second-order-gradients.ts adds the AvgPoolGrad and comparison gradients tfjs lacks).
 * Where tfjs still cannot differentiate a gradient kernel twice (MaxPoolGrad, depthwise-conv backprop — both
 * piecewise-linear ops), H·A = Jᵀ·S·(J·A) instead, with J = ∂y/∂A, S the
 * target's Hessian in the logits and J·A a central difference of the (continuous) logits along A: exact for a
 * piecewise-linear head, first-order gradients only (2 extra head forwards + 1 head backward). A central
 * difference of the gradient itself would not do: ReLU masks flipping within ±ε make it explode.
 * Reference (pytorch-grad-cam ShapleyCAM): identical; a gradient that does not depend on A (its `allow_unused`
 * case) gives H·A = 0.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ensureSecondOrderGradients } from '../backend/second-order-gradients.js';
import { spatialMean, withKernelCheck } from './base.js';
import type { CamContext, CamMethod } from './types.js';

const FD_EPS = 1e-3;

/**
 * Kernels found without a gradient of their own. A failed nested gradient leaves the tensors its tape kept alive
 * (tfjs cannot release them), so after the first failure in a process we go straight to the first-order form
 * while any of these kernels still lacks a gradient: a one-off of a few dozen tensors, not one per batch.
 */
const missingSecondOrder = new Set<string>();
const scoreOf = (ctx: CamContext) => (a: tf.Tensor): tf.Scalar => tf.sum(ctx.frameScores(ctx.runHead(a as tf.Tensor4D)));

/**
 * H·A for a head that is piecewise linear in A (ReLU, pooling, convolutions, dense): Jᵀ·S·(J·A). u = J·A is the
 * central difference of the logits along A, v = S·u the derivative of ∇_y s·u in the logits (the target's own
 * curvature; zero for the logit target), and H·A = ∂(v·y(a))/∂a.
 */
export function hessianVectorProductPiecewiseLinear(ctx: CamContext): tf.Tensor4D {
  if (ctx.target === 'logit') return tf.zerosLike(ctx.activations);
  return tf.tidy(() => {
    const a = ctx.activations;
    const u = tf.div(tf.sub(ctx.runHead(tf.mul(a, 1 + FD_EPS) as tf.Tensor4D), ctx.runHead(tf.mul(a, 1 - FD_EPS) as tf.Tensor4D)), 2 * FD_EPS);
    const scoreGrad = tf.grad((y: tf.Tensor) => tf.sum(ctx.frameScores(y as tf.Tensor2D)));
    const v = tf.grad((y: tf.Tensor) => tf.sum(tf.mul(scoreGrad(y), u)))(tf.clone(ctx.logits));
    return tf.grad((x: tf.Tensor) => tf.sum(tf.mul(ctx.runHead(x as tf.Tensor4D), v)))(tf.clone(a)) as tf.Tensor4D;
  });
}

/** H·A = ∂(g(a)·A)/∂a at a = A, by differentiating the head gradient (A as a constant: a is a separate tensor). */
export function hessianVectorProduct(ctx: CamContext): tf.Tensor4D {
  ensureSecondOrderGradients();
  if ([...missingSecondOrder].some((k) => !tf.getGradient(k))) return hessianVectorProductPiecewiseLinear(ctx);
  try {
    return tf.tidy(() => {
      const a0 = tf.clone(ctx.activations);
      // + 0·Σa: a path from a to the result even where g does not depend on a (a linear head on a logit, H = 0),
      // so tfjs answers 0 instead of throwing; a throw inside a nested gradient would leak the tape's tensors.
      const gDotA = (a: tf.Tensor): tf.Scalar => tf.add(tf.sum(tf.mul(tf.grad(scoreOf(ctx))(a), ctx.activations)), tf.mul(tf.sum(a), 0)) as tf.Scalar;
      return tf.grad(gDotA)(a0) as tf.Tensor4D;
    });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    // A gradient kernel without a gradient of its own (all of them piecewise-linear ops): Jᵀ·S·J·A.
    const missing = /gradient function not found for (\w+)/.exec(message);
    if (missing) {
      missingSecondOrder.add(missing[1]!);
      return hessianVectorProductPiecewiseLinear(ctx);
    }
    throw e;
  }
}

export const shapleyCam: CamMethod = {
  id: 'shapleycam',
  title: 'ShapleyCAM',
  paper: 'Cai et al., arXiv:2501.06261, 2025',
  group: 'gradcam',
  needsGradients: true,
  perChannelPasses: false,
  optIn: true,
  cost: '1 fwd + head grad (shared) + 2nd-order head backward',
  weights: (ctx) =>
    withKernelCheck('shapleycam', () =>
      tf.tidy(() => spatialMean(tf.sub(ctx.gradients(), tf.mul(hessianVectorProduct(ctx), 0.5)) as tf.Tensor4D)),
    ),
};
