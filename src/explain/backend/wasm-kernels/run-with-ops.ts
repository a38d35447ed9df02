/**
 * Why: the simplest correct way to add a kernel to the wasm backend is to compute it with tfjs ops, which
 * dispatch to wasm's own (fast, XNNPACK) kernels. A kernel receives bare TensorInfos, so they are wrapped as
 * Tensors (sharing the data id, with one more backend reference that the tidy gives back), the maths runs in a tidy, and the kept result Tensor is handed
 * back to the engine as the kernel output (the engine accepts a Tensor and does not re-wrap it).
 * Inside a kernel the engine's tape is off (kernelDepth > 0), so these ops are never recorded for gradients.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs-core';
import { MetacamError } from '../../../errors.js';

/** Wraps the named TensorInfos as Tensors, runs `fn` in a tidy, returns the kept output Tensor. */
export function runWithOps<K extends string>(
  kernelName: string,
  backend: unknown,
  inputs: NamedTensorInfoMap,
  names: readonly K[],
  fn: (t: Record<K, tf.Tensor>) => tf.Tensor,
): TensorInfo {
  return tf.tidy(() => {
    const wrapped = {} as Record<K, tf.Tensor>;
    for (const name of names) {
      const info = inputs[name];
      if (info == null) throw new MetacamError('E_BACKEND', `kernel ${kernelName}: missing input '${name}'`);
      // The wrapper shares the data id; without the extra reference, disposing it would free the input.
      (backend as { incRef(dataId: tf.DataId): void }).incRef(info.dataId);
      wrapped[name] = tf.engine().makeTensorFromTensorInfo(info);
    }
    return fn(wrapped);
  });
}

/** A wasm kernel computed with tfjs ops: `compute` gets the named inputs as Tensors and the kernel's attributes. */
export function opsKernel<K extends string, A>(
  kernelName: string,
  names: readonly K[],
  compute: (t: Record<K, tf.Tensor>, attrs: A) => tf.Tensor,
): KernelConfig {
  return {
    kernelName,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => runWithOps(kernelName, backend, inputs, names, (t) => compute(t, attrs as unknown as A)),
  };
}

/**
 * A wasm kernel that takes over from the stock one (`kernelFunc` calls `stock.kernelFunc` for what it does not
 * cover). The stock kernel binds its wasm function in setupFunc at backend initialisation: those are kept.
 */
export function overStock(kernelName: string, stock: KernelConfig | undefined, kernelFunc: KernelFunc): KernelConfig {
  return { kernelName, backendName: 'wasm', kernelFunc, setupFunc: stock?.setupFunc, disposeFunc: stock?.disposeFunc };
}

/** Explicit [top, bottom, left, right] paddings and output size, exactly as tfjs computes them. */
export interface ConvGeometry {
  readonly top: number;
  readonly bottom: number;
  readonly left: number;
  readonly right: number;
  readonly outHeight: number;
  readonly outWidth: number;
  readonly strideHeight: number;
  readonly strideWidth: number;
  readonly dilationHeight: number;
  readonly dilationWidth: number;
  readonly filterHeight: number;
  readonly filterWidth: number;
}

type Pad = 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;

export function convGeometry(
  inShape: [number, number, number, number],
  filterShape: [number, number, number, number],
  strides: number | [number, number],
  dilations: number | [number, number],
  pad: Pad,
  dimRoundingMode: 'floor' | 'round' | 'ceil' | undefined,
  depthwise: boolean,
): ConvGeometry {
  const info = tf.backend_util.computeConv2DInfo(
    inShape, filterShape, strides, dilations, pad as 'same', dimRoundingMode, depthwise, 'channelsLast');
  return {
    top: info.padInfo.top,
    bottom: info.padInfo.bottom,
    left: info.padInfo.left,
    right: info.padInfo.right,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    dilationHeight: info.dilationHeight,
    dilationWidth: info.dilationWidth,
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
  };
}

export function assertNhwc(kernelName: string, dataFormat: unknown): void {
  if (dataFormat != null && dataFormat !== 'NHWC' && dataFormat !== 'channelsLast') {
    throw new MetacamError('E_BACKEND', `kernel ${kernelName} on wasm supports only NHWC data, got dataFormat=${String(dataFormat)}`);
  }
}

/**
 * The k² shifted (and strided) windows of the zero-padded input, one per filter tap, in filter order
 * (row-major over [kh, kw]); each is [N, outH, outW, C].
 */
export function filterTapSlices(x: tf.Tensor4D, g: ConvGeometry): tf.Tensor4D[] {
  const [n, inH, inW, c] = x.shape;
  // Pad enough on the bottom/right that every tap's strided window fits, even where tfjs' own bottom pad
  // leaves rows unused (valid padding with a stride).
  const needH = (g.filterHeight - 1) * g.dilationHeight + (g.outHeight - 1) * g.strideHeight + 1;
  const needW = (g.filterWidth - 1) * g.dilationWidth + (g.outWidth - 1) * g.strideWidth + 1;
  const bottom = Math.max(0, needH - inH - g.top);
  const right = Math.max(0, needW - inW - g.left);
  const padded = g.top || bottom || g.left || right ? tf.pad(x, [[0, 0], [g.top, bottom], [g.left, right], [0, 0]]) : x;
  const out: tf.Tensor4D[] = [];
  for (let i = 0; i < g.filterHeight; i++) {
    for (let j = 0; j < g.filterWidth; j++) {
      const y0 = i * g.dilationHeight;
      const x0 = j * g.dilationWidth;
      const spanH = (g.outHeight - 1) * g.strideHeight + 1;
      const spanW = (g.outWidth - 1) * g.strideWidth + 1;
      if (g.strideHeight === 1 && g.strideWidth === 1) {
        out.push(tf.slice(padded, [0, y0, x0, 0], [n, spanH, spanW, c]));
      } else {
        out.push(tf.stridedSlice(padded, [0, y0, x0, 0], [n, y0 + spanH, x0 + spanW, c], [1, g.strideHeight, g.strideWidth, 1]) as tf.Tensor4D);
      }
    }
  }
  return out;
}

/**
 * Inserts (stride − 1) zeros after each row/column of dy — the "transposed" view of a strided conv — so that a
 * backprop-input becomes a stride-1 forward conv. [N, H, W, C] → [N, H·sh, W·sw, C]: the trailing zeros are part
 * of the padding padForTransposedConv computes from the actual size (cutting them here would cost a Slice,
 * ≈ 10 ns per element on wasm, 130 ms for MobileNetV2's first layer at batch 8).
 */
export function dilateSpatial(dy: tf.Tensor4D, sh: number, sw: number): tf.Tensor4D {
  if (sh === 1 && sw === 1) return dy;
  const [n, h, w, c] = dy.shape;
  const r = tf.reshape(dy, [n, h, 1, w, 1, c]);
  const p = tf.pad(r, [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]]);
  return tf.reshape(p, [n, h * sh, w * sw, c]) as tf.Tensor4D;
}

/**
 * Pads (or crops) the dilated dy so that a VALID stride-1 conv with a flipped filter of the effective size
 * returns exactly [inH, inW]: pad before = kEff − 1 − padBefore, after = whatever completes inH + kEff − 1.
 */
export function padForTransposedConv(dyDil: tf.Tensor4D, g: ConvGeometry, inH: number, inW: number): tf.Tensor4D {
  const kEffH = (g.filterHeight - 1) * g.dilationHeight + 1;
  const kEffW = (g.filterWidth - 1) * g.dilationWidth + 1;
  const [, dh, dw] = dyDil.shape;
  const before = [kEffH - 1 - g.top, kEffW - 1 - g.left];
  const after = [inH + kEffH - 1 - before[0]! - dh, inW + kEffW - 1 - before[1]! - dw];
  // Negative pads mean crop (a forward pad larger than kEff − 1 never happens for same/valid, but explicit can).
  const padded = tf.pad(dyDil, [[0, 0], [Math.max(0, before[0]!), Math.max(0, after[0]!)], [Math.max(0, before[1]!), Math.max(0, after[1]!)], [0, 0]]);
  const [n, ph, pw, c] = padded.shape;
  const cropTop = Math.max(0, -before[0]!);
  const cropLeft = Math.max(0, -before[1]!);
  const cropBottom = Math.max(0, -after[0]!);
  const cropRight = Math.max(0, -after[1]!);
  if (!cropTop && !cropLeft && !cropBottom && !cropRight) return padded;
  return tf.slice(padded, [0, cropTop, cropLeft, 0], [n, ph - cropTop - cropBottom, pw - cropLeft - cropRight, c]);
}
