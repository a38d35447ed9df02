/**
 * The shared per-batch context every CAM method reads (see methods/types.ts): one body forward, the logits, and
 * — computed once, on first use, cached — the head gradient g = ∂Σ_i logit_i[c_i]/∂A through the head only.
 * Running eight gradient methods costs one backward pass, not eight.
 *
 * Ownership: the context owns `input`, the activations, the logits and the cached gradient, and frees them in
 * `dispose()` (idempotent). Tensors handed out by runHead/runModel/model.* belong to the caller.
 */
import * as tf from '@tensorflow/tfjs-core';
import { MetacamError } from '../../errors.js';
import { biasGradients, layerActivationsAndGradients } from './deep-gradients.js';
import { withKernelErrors } from '../backend/kernel-errors.js';
import { assertGradientKernelsSound } from '../backend/kernel-soundness.js';
import type { CamContext, CamModelAccess, CamOptions } from '../methods/types.js';
import { isRuntimeSplit, type RuntimeSplit } from '../model/model-runtime.js';
import { runBody, runHead, type ModelSplit } from '../model/split-model.js';
import { frameTargets, scoreFrames, targetScores, type FrameTargets, type TargetKind } from './target-scores.js';

export interface OwnedCamContext extends CamContext {
  /** Frees everything the context owns. Safe to call twice. */
  dispose(): void;
}

export interface CamContextRuntime {
  /** Body forward to use instead of the LayersModel body (e.g. the optimised inference graph). Caller-owned result. */
  readonly bodyForward?: (input: tf.Tensor4D) => tf.Tensor4D;
  /** Activations and logits already computed for `input` (ownership passes to the context). */
  readonly forward?: { readonly activations: tf.Tensor4D; readonly logits: tf.Tensor2D };
  /** What the gradients explain (--target); default 'logit'. */
  readonly target?: TargetKind;
}

export const DEFAULT_CAM_OPTIONS: CamOptions = { maxChannels: 64, passBatch: 32 };

/** Argmax per row of [N,C] values. */
export function argmaxRows(values: ArrayLike<number>, n: number, c: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let k = 1; k < c; k++) if (values[i * c + k] > values[i * c + best]) best = k;
    out.push(best);
  }
  return out;
}

/**
 * Builds the context for a batch. `classes`: one class per frame, or 'argmax' (reads the logits synchronously).
 * The context takes ownership of `input` (and of `runtime.forward`).
 */
export function createCamContext(
  split: ModelSplit | RuntimeSplit,
  input: tf.Tensor4D,
  classes: readonly number[] | 'argmax',
  options: CamOptions = DEFAULT_CAM_OPTIONS,
  runtime: CamContextRuntime = {},
): OwnedCamContext {
  const bodyForward = runtime.bodyForward ?? ((x: tf.Tensor4D) => runBody(split, x));
  const head = (a: tf.Tensor4D): tf.Tensor2D => runHead(split, a);
  const owned: tf.Tensor[] = [input];
  let disposed = false;
  const dispose = (): void => {
    if (disposed) return;
    disposed = true;
    for (const t of owned) if (!t.isDisposed) t.dispose();
    owned.length = 0;
  };
  try {
    const activations = runtime.forward?.activations ?? tf.tidy(() => bodyForward(input));
    owned.push(activations);
    const logits = runtime.forward?.logits ?? tf.tidy(() => head(activations));
    owned.push(logits);
    const [n, c] = logits.shape;
    if (n !== input.shape[0]) throw new MetacamError('E_INTERNAL', `forward produced ${n} rows for ${input.shape[0]} frames`);
    const cls = classes === 'argmax' ? argmaxRows(logits.dataSync(), n, c) : [...classes];
    if (cls.length !== n) throw new MetacamError('E_INTERNAL', `${cls.length} classes given for ${n} frames`);
    for (const k of cls) {
      if (!Number.isInteger(k) || k < 0 || k >= c) {
        throw new MetacamError('E_CLASS_OUT_OF_RANGE', `class ${k} is out of range: the model has ${c} classes (0..${c - 1})`);
      }
    }
    const target = runtime.target ?? 'logit';
    const gradientByKind = new Map<TargetKind, tf.Tensor4D>();
    const targetsByKind = new Map<TargetKind, FrameTargets>();
    // The frames' targets, fixed once per kind from the batch's own logits (FinerCAM's comparison classes).
    const targetsFor = (kind: TargetKind): FrameTargets => {
      let t = targetsByKind.get(kind);
      if (!t) targetsByKind.set(kind, (t = frameTargets(kind, kind === 'finer' ? logits.dataSync() : [], c, cls)));
      return t;
    };
    let weighted: tf.Tensor4D | undefined;
    const model: CamModelAccess = isRuntimeSplit(split) ? split.access : {
      biasGradients: (x, cs) => biasGradients(split.graph, x, cs),
      layerActivationsAndGradients: (names, x, cs) => layerActivationsAndGradients(split.graph, names, x, cs),
    };
    const ctx: OwnedCamContext = {
      input,
      activations,
      logits,
      classes: cls,
      options,
      model,
      target,
      gradients(kind = target) {
        if (disposed) throw new MetacamError('E_INTERNAL', 'CamContext used after dispose()');
        let gradient = gradientByKind.get(kind);
        if (!gradient) {
          if (isRuntimeSplit(split)) split.assertHeadGradientSound();
          else assertGradientKernelsSound(split.graph.steps.slice(split.graph.steps.indexOf(split.target.step) + 1), 'the head gradient');
          const frames = targetsFor(kind);
          gradient = withKernelErrors('the head gradient', () =>
            tf.tidy(() => {
              const g = tf.grad((a: tf.Tensor) => tf.sum(scoreFrames(frames, head(a as tf.Tensor4D))))(activations);
              return g as tf.Tensor4D;
            }),
          );
          tf.keep(gradient);
          owned.push(gradient);
          gradientByKind.set(kind, gradient);
        }
        return gradient;
      },
      frameScores: (l, kind = target) => scoreFrames(targetsFor(kind), l),
      gradientsTimesActivations() {
        if (!weighted) {
          const g = ctx.gradients();
          weighted = tf.keep(tf.tidy(() => tf.mul(g, activations) as tf.Tensor4D));
          owned.push(weighted);
        }
        return weighted;
      },
      runHead: (a) => head(a),
      runModel: (x) => tf.tidy(() => head(bodyForward(x))),
      targetScores: (l, cs) => targetScores(l, cs),
      dispose,
    };
    return ctx;
  } catch (e) {
    dispose();
    throw e;
  }
}
