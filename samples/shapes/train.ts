/**
 * Why: the project trains its own testbed classifier so that the bundled `shapes` model is reproducible:
 * `npm run train:shapes [-- --epochs N --train N --seed N --backend wasm|cpu --out DIR]`, and the held-out testbed's
 * second model with `npm run train:shapes-deep` (`--variant deep`: a conv layer after conv_last, models/shapes-deep,
 * 8 epochs by default — same stills, same seeds, fewer epochs because training is slow on the shared 2 cores).
 * Fixed seeds for the initialisers, the generated data and the batch order; single-threaded wasm (with
 * our gradient kernels) is deterministic, so the same command gives the same weights. Writes
 * DIR/model.json, DIR/weights.bin and DIR/meta.json (labels, input size/range, held-out accuracy, settings).
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmGradientKernels } from '../../src/explain/backend/wasm-kernels/index.js';
import { MetacamError } from '../../src/errors.js';
import { buildShapesModel, LAST_CONV_LAYER, SHAPES_VARIANTS, type ShapesVariant } from './model-def.js';
import { saveLayersModel } from './model-files.js';
import { createPrng } from './prng.js';
import { SHAPE_LABELS } from './shape-geometry.js';
import { generateStills, type StillSet } from './stills.js';

export const TRAIN_DEFAULTS = {
  seed: 20261,
  heldOutSeed: 90210,
  trainCount: 4000,
  heldOutCount: 1000,
  inputSize: 64,
  epochs: 12,
  batchSize: 16,
  learningRate: 2e-3,
} as const;

/** Per variant: the bundled model's name, folder, epochs and the command that regenerates it. */
export const VARIANT_DEFAULTS: Readonly<Record<ShapesVariant, { name: string; dir: string; epochs: number; command: string }>> = {
  gap: { name: 'shapes', dir: 'models/shapes', epochs: TRAIN_DEFAULTS.epochs, command: 'npm run train:shapes' },
  deep: { name: 'shapes-deep', dir: 'models/shapes-deep', epochs: 8, command: 'npm run train:shapes-deep' },
};

function positiveInt(name: string, v: string | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new MetacamError('E_ARG', `--${name} must be a positive integer, got '${v}'`);
  return n;
}

function batch(set: StillSet, idx: ArrayLike<number>, from: number, to: number): { x: tf.Tensor4D; y: tf.Tensor2D } {
  const per = set.size * set.size * 3;
  const n = to - from;
  const xs = new Float32Array(n * per);
  const ys = new Float32Array(n * SHAPE_LABELS.length);
  for (let k = 0; k < n; k++) {
    const i = idx[from + k]!;
    xs.set(set.pixels.subarray(i * per, (i + 1) * per), k * per);
    ys[k * SHAPE_LABELS.length + set.labels[i]!] = 1;
  }
  return { x: tf.tensor4d(xs, [n, set.size, set.size, 3]), y: tf.tensor2d(ys, [n, SHAPE_LABELS.length]) };
}

/** Accuracy of `model` on a still set, in batches (no tensors left behind). */
export async function accuracy(model: tf.LayersModel, set: StillSet, batchSize = 100): Promise<number> {
  let correct = 0;
  const all = Array.from({ length: set.count }, (_, i) => i);
  for (let from = 0; from < set.count; from += batchSize) {
    const to = Math.min(set.count, from + batchSize);
    const { x, y } = batch(set, all, from, to);
    const pred = tf.tidy(() => tf.argMax(model.predict(x) as tf.Tensor, 1));
    const p = await pred.data();
    for (let k = 0; k < p.length; k++) if (p[k] === set.labels[from + k]) correct++;
    tf.dispose([x, y, pred]);
  }
  return correct / set.count;
}

function shuffled(n: number, seed: number): Int32Array {
  const p = createPrng(seed);
  const a = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = p.int(i + 1);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      epochs: { type: 'string' }, train: { type: 'string' }, seed: { type: 'string' },
      backend: { type: 'string' }, out: { type: 'string' }, variant: { type: 'string' },
    },
  });
  const variant = (values.variant ?? 'gap') as ShapesVariant;
  if (!SHAPES_VARIANTS.includes(variant)) throw new MetacamError('E_ARG', `--variant must be ${SHAPES_VARIANTS.join(' or ')}, got '${values.variant}'`);
  const vd = VARIANT_DEFAULTS[variant];
  const seed = positiveInt('seed', values.seed, TRAIN_DEFAULTS.seed);
  const epochs = positiveInt('epochs', values.epochs, vd.epochs);
  const trainCount = positiveInt('train', values.train, TRAIN_DEFAULTS.trainCount);
  const outDir = resolve(values.out ?? vd.dir);
  const wanted = values.backend ?? 'wasm';
  if (wanted !== 'wasm' && wanted !== 'cpu') throw new MetacamError('E_ARG', `--backend must be wasm or cpu, got '${wanted}'`);

  registerWasmGradientKernels();
  let backend: string = wanted;
  if (!(await tf.setBackend(wanted))) {
    console.warn(`backend ${wanted} unavailable; falling back to cpu (much slower)`);
    await tf.setBackend('cpu');
    backend = 'cpu';
  }
  await tf.ready();
  const { inputSize, batchSize, heldOutSeed, heldOutCount } = TRAIN_DEFAULTS;

  const t0 = performance.now();
  const train = generateStills(seed, trainCount, inputSize);
  const heldOut = generateStills(heldOutSeed, heldOutCount, inputSize);
  console.log(`generated ${trainCount} training + ${heldOutCount} held-out stills (${inputSize}²) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const model = buildShapesModel({ inputSize, seed, variant });
  const optimizer = tf.train.adam(TRAIN_DEFAULTS.learningRate);
  model.compile({ optimizer, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const tTrain = performance.now();
  let heldOutAccuracy = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    // Step decay: the last third of the epochs at a third of the rate.
    (optimizer as unknown as { learningRate: number }).learningRate =
      epoch >= Math.ceil((epochs * 2) / 3) ? TRAIN_DEFAULTS.learningRate / 3 : TRAIN_DEFAULTS.learningRate;
    const order = shuffled(trainCount, seed * 31 + epoch);
    let lossSum = 0, accSum = 0, batches = 0;
    const te = performance.now();
    for (let from = 0; from + batchSize <= trainCount; from += batchSize) {
      const { x, y } = batch(train, order, from, from + batchSize);
      const [loss, acc] = (await model.trainOnBatch(x, y)) as number[];
      tf.dispose([x, y]);
      lossSum += loss!; accSum += acc!; batches++;
      if (batches % 80 === 0) {
        console.log(`  epoch ${epoch + 1} batch ${batches}: loss ${(lossSum / batches).toFixed(4)} acc ${(accSum / batches).toFixed(4)} (${((performance.now() - te) / 1000).toFixed(0)} s)`);
      }
    }
    heldOutAccuracy = await accuracy(model, heldOut);
    console.log(`epoch ${epoch + 1}/${epochs}: loss ${(lossSum / batches).toFixed(4)} train acc ${(accSum / batches).toFixed(4)} ` +
      `held-out acc ${heldOutAccuracy.toFixed(4)} (${((performance.now() - te) / 1000).toFixed(1)} s)`);
  }
  const trainSeconds = (performance.now() - tTrain) / 1000;

  const sizes = await saveLayersModel(model, outDir);
  const meta = {
    name: vd.name,
    labels: [...SHAPE_LABELS],
    inputSize: [inputSize, inputSize],
    inputRange: [0, 1],
    channels: 'rgb',
    targetLayer: LAST_CONV_LAYER,
    heldOutAccuracy,
    heldOut: { seed: heldOutSeed, count: heldOutCount },
    trainedWith: {
      seed, epochs, trainCount, batchSize, learningRate: TRAIN_DEFAULTS.learningRate, optimizer: 'adam',
      backend, trainSeconds: Math.round(trainSeconds), command: vd.command,
    },
  };
  writeFileSync(join(outDir, 'meta.json'), JSON.stringify(meta, null, 2) + '\n');
  console.log(`trained in ${trainSeconds.toFixed(0)} s on ${backend}; held-out accuracy ${(heldOutAccuracy * 100).toFixed(2)}%; ` +
    `model.json ${sizes.modelJsonBytes} B + weights.bin ${sizes.weightsBytes} B → ${outDir}`);
  model.dispose();
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = err instanceof MetacamError ? err.exitCode : 1;
  });
}
