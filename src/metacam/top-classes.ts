/**
 * The k most probable classes with their labels, for FrameExplanation.top5 and .target. Ties keep the lower
 * class index first; a missing label reads "class <i>".
 */
import { MetacamError } from '../errors.js';
import type { ClassScore } from '../core/frame-explanation.js';

export function classScore(probabilities: ArrayLike<number>, index: number, labels: readonly string[]): ClassScore {
  if (!Number.isInteger(index) || index < 0 || index >= probabilities.length) {
    throw new MetacamError('E_CLASS_OUT_OF_RANGE', `class ${index} is outside the model's ${probabilities.length} classes (0–${probabilities.length - 1})`);
  }
  return { index, label: labels[index] ?? `class ${index}`, score: probabilities[index] };
}

export function topClasses(probabilities: ArrayLike<number>, labels: readonly string[], k = 5): ClassScore[] {
  const order = Array.from({ length: probabilities.length }, (_, i) => i);
  order.sort((a, b) => probabilities[b] - probabilities[a] || a - b);
  return order.slice(0, k).map((i) => classScore(probabilities, i, labels));
}
