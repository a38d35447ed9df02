/**
 * Why: stock wasm Tile is slow, and the batch-norm gradient tiles a per-channel vector over the whole
 * activation. When every repeated axis has size 1 (a pure broadcast), adding zeros of the output shape
 * gives the same values through the fast broadcasting Add. Any other Tile runs the stock kernel.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs-core';
import { overStock, runWithOps } from './run-with-ops.js';

export function isBroadcastTile(shape: readonly number[], reps: readonly number[]): boolean {
  return shape.length === reps.length && shape.every((d, i) => reps[i] === 1 || d === 1);
}

export function tileBroadcastConfig(stock: KernelConfig | undefined): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { reps } = args.attrs as unknown as tf.TileAttrs;
    const x = args.inputs.x!;
    if (stock && (x.dtype !== 'float32' || !isBroadcastTile(x.shape, reps))) return stock.kernelFunc(args);
    return runWithOps('Tile', args.backend, args.inputs, ['x'] as const, (t) =>
      tf.add(t.x, tf.zeros(t.x.shape.map((d, i) => d * reps[i]!))));
  };
  return overStock(tf.Tile, stock, kernelFunc);
}
