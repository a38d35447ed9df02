/**
 * The ROAD scorer f_c: the model's softmax probability of class c for a batch of float images in [0,1] at the
 * model's input size. Images are preprocessed exactly like decoded frames (preprocess.ts: a value v stands for
 * the byte 255·v), forwarded in chunks of `batchSize`, and only the probabilities leave the tidy: the tensor
 * count is unchanged after every call.
 */
import * as tf from '@tensorflow/tfjs-core';
import { MetacamError } from '../errors.js';
import type { AnyLoadedModel } from '../explain/model/loaded-model.js';
import type { FloatImage } from './float-image.js';
import type { ClassScorer } from './road.js';

/** Float images → preprocessed NHWC values (the model's range, mean and std). */
export function preprocessFloatImages(images: readonly FloatImage[], model: Pick<AnyLoadedModel, 'inputSize' | 'preprocess'>): Float32Array {
  const { width, height } = model.inputSize;
  const per = width * height * 3;
  const pre = model.preprocess;
  const [scale, offset] = pre.range === '0,1' ? [1, 0] : pre.range === '-1,1' ? [2, -1] : [255, 0];
  const mean = pre.mean ?? [0, 0, 0];
  const inv = (pre.std ?? [1, 1, 1]).map((s) => 1 / s);
  const out = new Float32Array(images.length * per);
  images.forEach((img, i) => {
    if (img.width !== width || img.height !== height || img.channels !== 3) {
      throw new MetacamError('E_INTERNAL', `ROAD image ${i} is ${img.width}×${img.height}×${img.channels}; the model needs ${width}×${height}×3`);
    }
    const d = img.data;
    const base = i * per;
    for (let p = 0; p < per; p += 3) {
      for (let c = 0; c < 3; c++) out[base + p + c] = (d[p + c] * scale + offset - mean[c]) * inv[c];
    }
  });
  return out;
}

/** Softmax probabilities [n, C] of the model for preprocessed inputs. */
export async function classProbabilities(model: AnyLoadedModel, images: readonly FloatImage[], batchSize: number): Promise<Float32Array[]> {
  const { width, height } = model.inputSize;
  const rows: Float32Array[] = [];
  for (let from = 0; from < images.length; from += batchSize) {
    const chunk = images.slice(from, from + batchSize);
    const x = tf.tensor4d(preprocessFloatImages(chunk, model), [chunk.length, height, width, 3]);
    let probs: tf.Tensor | undefined;
    try {
      probs = tf.tidy(() => {
        const y = model.model.predict(x) as tf.Tensor2D;
        return model.outputIsSoftmax ? y : tf.softmax(y);
      });
      const values = (await probs.data()) as Float32Array;
      const c = probs.shape[1]!;
      for (let i = 0; i < chunk.length; i++) rows.push(values.slice(i * c, (i + 1) * c));
    } finally {
      x.dispose();
      probs?.dispose();
    }
  }
  return rows;
}

/** f_c for one class. */
export function createClassScorer(model: AnyLoadedModel, classIndex: number, batchSize = 32): ClassScorer {
  if (!(Number.isInteger(classIndex) && classIndex >= 0 && classIndex < model.labels.length)) {
    throw new MetacamError('E_CLASS_OUT_OF_RANGE', `class ${classIndex} is out of range: model '${model.id}' has ${model.labels.length} classes`);
  }
  return async (images) => (await classProbabilities(model, images, batchSize)).map((row) => row[classIndex]!);
}
