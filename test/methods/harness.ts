/**
 * A small, independent CamContext for testing the methods without the explain engine: loads the conformance
 * fixture (a Sequential tfjs LayersModel), splits it at a layer (body = input → layer, head = the later layer
 * objects re-applied to a new tf.input), and answers every CamContext question from those two models. FullGrad
 * and multi-layer LayerCAM get their gradients from a tiny interpreter of the Sequential layers with zero
 * "probe" tensors added where a gradient is wanted (∂y/∂probe = ∂y/∂z).
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { CamContext, CamModelAccess, CamOptions, TargetKind } from '../../src/explain/methods/types.js';
import { frameTargets, scoreFrames } from '../../src/explain/engine/target-scores.js';

const HERE = dirname(fileURLToPath(import.meta.url));
export const FIXTURE_DIR = resolve(HERE, '../fixtures/cam-conformance');
/** The newer methods' reference maps (FEM, KPCA-CAM, …): same layout, its own weights. */
export const FIXTURE_MORE_DIR = resolve(HERE, '../fixtures/cam-conformance-more');

export type Variant = 'gap' | 'deep';
const variantDir = (v: Variant, root = FIXTURE_DIR): string => (v === 'gap' ? root : join(root, 'deep'));

export async function loadVariantModel(v: Variant, root = FIXTURE_DIR): Promise<tfl.LayersModel> {
  const dir = variantDir(v, root);
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  const bin = readFileSync(join(dir, json.weightsManifest[0].paths[0]));
  const weightData = bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength);
  return tfl.loadLayersModel(
    tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData }),
  );
}

/** The six fixture images, float32 [6,64,64,3] in [0,1]. */
export function loadInputs(root = FIXTURE_DIR): tf.Tensor4D {
  const buf = readFileSync(join(root, 'inputs.bin'));
  const data = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  return tf.tensor4d(data, [6, 64, 64, 3]);
}

export interface BlobRef { offset: number; shape: number[]; dtype: 'float32' | 'uint16_unorm' }
export interface MethodRef {
  cam_raw: BlobRef;
  cam_final: BlobRef;
  raw_all_nonpositive: boolean[];
  weights?: number[][];
}
export interface Refs {
  json: { argmax: number[]; target_modes: Record<'argmax' | 'class2', number[]>; methods: Record<string, Record<'argmax' | 'class2', MethodRef>>; target_layer_activations_nhwc?: BlobRef };
  bin: Buffer;
}

export function loadRefs(v: Variant, root = FIXTURE_DIR): Refs {
  const dir = variantDir(v, root);
  return { json: JSON.parse(readFileSync(join(dir, 'refs.json'), 'utf8')), bin: readFileSync(join(dir, 'refs.bin')) };
}

export function blob(refs: Refs, ref: BlobRef): Float32Array {
  const n = ref.shape.reduce((a, b) => a * b, 1);
  if (ref.dtype === 'float32') return new Float32Array(refs.bin.buffer, refs.bin.byteOffset + ref.offset, n).slice();
  const q = new Uint16Array(refs.bin.buffer.slice(refs.bin.byteOffset + ref.offset, refs.bin.byteOffset + ref.offset + 2 * n));
  return Float32Array.from(q, (v) => v / 65535);
}

export interface SplitModel {
  readonly model: tfl.LayersModel;
  readonly body: tfl.LayersModel;
  readonly head: tfl.LayersModel;
}

/** body = input → `layerName`'s output; head = the following layers re-applied to a new input. */
export function splitAt(model: tfl.LayersModel, layerName: string): SplitModel {
  const idx = model.layers.findIndex((l) => l.name === layerName);
  if (idx < 0) throw new Error(`no layer ${layerName}`);
  const target = model.layers[idx];
  const body = tfl.model({ inputs: model.inputs, outputs: target.output as tfl.SymbolicTensor });
  const headIn = tfl.input({ shape: (target.outputShape as number[]).slice(1) });
  let t: tfl.SymbolicTensor = headIn;
  for (const layer of model.layers.slice(idx + 1)) t = layer.apply(t) as tfl.SymbolicTensor;
  return { model, body, head: tfl.model({ inputs: headIn, outputs: t }) };
}

/** Σ_i logits[i, classes[i]] picked with a one-hot mask (tf.gather's gradient needs UnsortedSegmentSum). */
export function pickTargets(logits: tf.Tensor2D, classes: readonly number[]): tf.Tensor1D {
  return tf.tidy(() => tf.sum(tf.mul(logits, tf.cast(tf.oneHot(tf.tensor1d(classes as number[], 'int32'), logits.shape[1]), 'float32')), 1) as tf.Tensor1D);
}

type Probes = Map<string, tf.Tensor>;

function activate(x: tf.Tensor, activation: string | undefined): tf.Tensor {
  switch (activation ?? 'linear') {
    case 'linear': return x;
    case 'relu': return tf.relu(x);
    case 'relu6': return tf.relu6(x);
    default: throw new Error(`harness interpreter: activation ${activation} unsupported`);
  }
}

/**
 * Runs a Sequential model layer by layer with tf ops. `probes` adds tensors at `pre:<layer>` (conv/dense
 * output before activation) and `post:<layer>`; `record` receives those intermediate values.
 */
function interpret(model: tfl.LayersModel, x: tf.Tensor, probes: Probes, record?: Map<string, tf.Tensor>): tf.Tensor2D {
  const at = (key: string, t: tf.Tensor): tf.Tensor => {
    const p = probes.get(key);
    const out = p ? tf.add(t, p) : t;
    record?.set(key, out);
    return out;
  };
  let h = x;
  for (const layer of model.layers) {
    const cfg = layer.getConfig() as Record<string, unknown>;
    const cls = layer.getClassName();
    const w = layer.getWeights();
    if (cls === 'Conv2D') {
      const strides = cfg.strides as [number, number];
      let z: tf.Tensor = tf.conv2d(h as tf.Tensor4D, w[0] as tf.Tensor4D, strides, cfg.padding as 'same' | 'valid');
      if (w[1]) z = tf.add(z, w[1]);
      h = activate(at(`pre:${layer.name}`, z), cfg.activation as string);
    } else if (cls === 'Dense') {
      let z: tf.Tensor = tf.matMul(h as tf.Tensor2D, w[0] as tf.Tensor2D);
      if (w[1]) z = tf.add(z, w[1]);
      h = activate(at(`pre:${layer.name}`, z), cfg.activation as string);
    } else if (cls === 'MaxPooling2D') {
      h = tf.maxPool(h as tf.Tensor4D, cfg.poolSize as [number, number], cfg.strides as [number, number], cfg.padding as 'same' | 'valid');
    } else if (cls === 'AveragePooling2D') {
      h = tf.avgPool(h as tf.Tensor4D, cfg.poolSize as [number, number], cfg.strides as [number, number], cfg.padding as 'same' | 'valid');
    } else if (cls === 'GlobalAveragePooling2D') {
      h = tf.mean(h, [1, 2]);
    } else if (cls === 'Flatten') {
      h = tf.reshape(h, [h.shape[0], -1]);
    } else {
      throw new Error(`harness interpreter: layer ${cls} unsupported`);
    }
    h = at(`post:${layer.name}`, h);
  }
  return h as tf.Tensor2D;
}

/** ∂(Σ target logits)/∂ each probe, plus ∂/∂input; `record` gets the forward values. */
function probeGradients(model: tfl.LayersModel, input: tf.Tensor4D, classes: readonly number[], keys: readonly string[]) {
  const record = new Map<string, tf.Tensor>();
  interpret(model, input, new Map(), record);
  const zeros = keys.map((k) => {
    const r = record.get(k);
    if (!r) throw new Error(`harness: nothing recorded at ${k}`);
    return tf.zerosLike(r);
  });
  const f = (...xs: tf.Tensor[]): tf.Scalar =>
    tf.sum(pickTargets(interpret(model, xs[0], new Map(keys.map((k, i) => [k, xs[i + 1]]))), classes));
  const [inputGradient, ...gradients] = tf.grads(f)([input, ...zeros]);
  return { inputGradient: inputGradient as tf.Tensor4D, gradients: gradients as tf.Tensor4D[], record };
}

export function sequentialModelAccess(model: tfl.LayersModel): CamModelAccess {
  return {
    biasGradients(input, classes) {
      return tf.tidy(() => {
        const biased = model.layers.filter((l) => l.getClassName() === 'Conv2D' && l.getWeights()[1]);
        const { inputGradient, gradients } = probeGradients(model, input, classes, biased.map((l) => `pre:${l.name}`));
        return {
          inputGradient,
          layers: biased.map((l, i) => ({ name: l.name, bias: tf.clone(l.getWeights()[1]) as tf.Tensor1D, gradient: gradients[i] })),
        };
      });
    },
    layerActivationsAndGradients(layerNames, input, classes) {
      return tf.tidy(() => {
        const keys = layerNames.map((n) => `post:${n}`);
        const { gradients, record } = probeGradients(model, input, classes, keys);
        return layerNames.map((name, i) => ({ name, activations: record.get(keys[i]) as tf.Tensor4D, gradients: gradients[i] }));
      });
    },
  };
}

export interface HarnessContext extends CamContext {
  dispose(): void;
}

export function createHarnessContext(
  split: SplitModel,
  input: tf.Tensor4D,
  classes: readonly number[],
  options: Partial<CamOptions> = {},
  target: TargetKind = 'logit',
): HarnessContext {
  const { body, head, model } = split;
  const activations = tf.tidy(() => body.apply(input) as tf.Tensor4D);
  const logits = tf.tidy(() => head.apply(activations) as tf.Tensor2D);
  const grads = new Map<TargetKind, tf.Tensor4D>();
  let weighted: tf.Tensor4D | undefined;
  let disposed = false;
  // The logit target is picked independently here (pickTargets); softmax/finer use the source's score functions.
  const score = (l: tf.Tensor2D, kind: TargetKind): tf.Tensor1D =>
    kind === 'logit' ? pickTargets(l, classes) : scoreFrames(frameTargets(kind, logits.dataSync(), logits.shape[1], classes), l);
  const ctx: HarnessContext = {
    input,
    activations,
    logits,
    classes,
    options: { maxChannels: options.maxChannels ?? 1 << 30, passBatch: options.passBatch ?? 16 },
    model: sequentialModelAccess(model),
    target,
    gradients(kind = target) {
      if (disposed) throw new Error('context disposed');
      // tf.keep: the engine calls this inside a method's tidy, but the cache must outlive it.
      if (!grads.has(kind)) {
        grads.set(kind, tf.keep(tf.tidy(() => tf.grad((a: tf.Tensor) => tf.sum(score(head.apply(a) as tf.Tensor2D, kind)))(activations) as tf.Tensor4D)));
      }
      return grads.get(kind)!;
    },
    frameScores: (l, kind = target) => score(l, kind),
    gradientsTimesActivations() {
      weighted ??= tf.keep(tf.tidy(() => tf.mul(ctx.gradients(), activations) as tf.Tensor4D));
      return weighted;
    },
    runHead: (a) => tf.tidy(() => head.apply(a) as tf.Tensor2D),
    runModel: (x) => tf.tidy(() => head.apply(body.apply(x)) as tf.Tensor2D),
    targetScores: pickTargets,
    dispose() {
      if (disposed) return;
      disposed = true;
      tf.dispose([activations, logits]);
      tf.dispose([...grads.values()]);
      if (weighted) weighted.dispose();
    },
  };
  return ctx;
}

// ---- comparison helpers (float64, per image) ----

/** pytorch-grad-cam's per-image minmax(relu(v)): (v − min)/(max(v − min) + 1e-7). */
export function minMaxRelu(v: ArrayLike<number>): Float64Array {
  const r = Float64Array.from(v, (x) => Math.max(x, 0));
  let lo = Infinity;
  for (const x of r) lo = Math.min(lo, x);
  let hi = -Infinity;
  for (let i = 0; i < r.length; i++) hi = Math.max(hi, (r[i] -= lo));
  return r.map((x) => x / (hi + 1e-7));
}

export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0, mb = 0;
  for (let i = 0; i < n; i++) { ma += a[i]; mb += b[i]; }
  ma /= n; mb /= n;
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i] - ma, db = b[i] - mb;
    sab += da * db; saa += da * da; sbb += db * db;
  }
  return sab / Math.sqrt(saa * sbb);
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

export function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

/**
 * A hand-written context for toy tests: the activations, gradients and head are given directly, so every
 * method's answer can be written down. Tensors are owned by the caller.
 */
export function toyContext(spec: {
  activations: tf.Tensor4D;
  gradients?: tf.Tensor4D;
  input?: tf.Tensor4D;
  classes?: number[];
  head?: (a: tf.Tensor4D) => tf.Tensor2D;
  model?: (x: tf.Tensor4D) => tf.Tensor2D;
  options?: Partial<CamOptions>;
}): CamContext {
  const classes = spec.classes ?? Array(spec.activations.shape[0]).fill(0);
  const head = spec.head ?? ((): tf.Tensor2D => { throw new Error('toy: no head'); });
  const model = spec.model ?? ((): tf.Tensor2D => { throw new Error('toy: no model'); });
  let logits: tf.Tensor2D | undefined;
  const toyScores = (l: tf.Tensor2D, kind: TargetKind): tf.Tensor1D =>
    kind === 'logit' ? pickTargets(l, classes) : scoreFrames(frameTargets(kind, l.dataSync(), l.shape[1], classes), l);
  return {
    input: spec.input ?? tf.zeros([spec.activations.shape[0], 1, 1, 1]),
    activations: spec.activations,
    get logits() {
      logits ??= tf.keep(tf.tidy(() => head(spec.activations)));
      return logits;
    },
    classes,
    options: { maxChannels: spec.options?.maxChannels ?? 1 << 30, passBatch: spec.options?.passBatch ?? 2 },
    model: {},
    target: 'logit',
    // Given gradients answer the logit target; otherwise (or for another kind) they come from the head, uncached.
    gradients: (kind = 'logit') => {
      if (spec.gradients && kind === 'logit') return spec.gradients;
      if (!spec.head) throw new Error('toy: no gradients');
      return tf.grad((a: tf.Tensor) => tf.sum(toyScores(head(a as tf.Tensor4D), kind)))(spec.activations) as tf.Tensor4D;
    },
    frameScores: (l, kind = 'logit') => toyScores(l, kind),
    // Not cached: the toy context has no dispose; the method's tidy frees the product.
    gradientsTimesActivations: () => {
      if (!spec.gradients) throw new Error('toy: no gradients');
      return tf.mul(spec.gradients, spec.activations) as tf.Tensor4D;
    },
    runHead: (a) => tf.tidy(() => head(a)),
    runModel: (x) => tf.tidy(() => model(x)),
    targetScores: pickTargets,
  };
}
