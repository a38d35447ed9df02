/**
 * A small tensor held in JS (not on the backend): ONNX initializers and constants, and the shape arithmetic that
 * `torch.onnx.export` emits (Shape → Gather → Unsqueeze → Concat → Reshape). Float data stays float32; every
 * integer type (INT64 included) becomes a JS number, clamped to ±2^31 (ONNX uses INT64_MAX as "to the end").
 */
import type { onnx } from 'onnx-proto';
import { MetacamError } from '../../../errors.js';

export interface HostTensor {
  readonly dims: readonly number[];
  readonly dtype: 'float32' | 'int32';
  readonly data: Float32Array | Int32Array;
}

/** ONNX TensorProto.DataType values we read. */
const FLOAT = 1, UINT8 = 2, INT8 = 3, INT32 = 6, INT64 = 7, BOOL = 9, DOUBLE = 11;

export function toNumber(v: number | { toString(): string } | null | undefined): number {
  return typeof v === 'number' ? v : Number(String(v ?? 0));
}

function clampInt(v: number): number {
  return Math.max(-2147483648, Math.min(2147483647, v));
}

export function elementCount(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

export function hostTensor(dims: readonly number[], dtype: HostTensor['dtype'], data: ArrayLike<number>): HostTensor {
  const n = elementCount(dims);
  if (data.length !== n) throw new MetacamError('E_MODEL_INVALID', `constant of shape [${dims.join(',')}] holds ${data.length} values, expected ${n}`);
  return { dims: [...dims], dtype, data: dtype === 'float32' ? Float32Array.from(data) : Int32Array.from(data, clampInt) };
}

/** Decodes an ONNX TensorProto (raw little-endian bytes or the typed repeated fields). */
export function fromTensorProto(t: onnx.ITensorProto, what: string): HostTensor {
  const dims = (t.dims ?? []).map(toNumber);
  const n = elementCount(dims);
  const type = t.dataType ?? 0;
  if ((t.dataLocation ?? 0) !== 0 || (t.externalData?.length ?? 0) > 0) {
    throw new MetacamError('E_MODEL_UNSUPPORTED', `${what} stores its data in an external file; re-export with the weights inside the .onnx (torch.onnx.export does this for models under 2 GB)`);
  }
  const raw = t.rawData && t.rawData.length > 0 ? t.rawData : undefined;
  const view = raw ? new DataView(raw.buffer, raw.byteOffset, raw.byteLength) : undefined;
  const read = (size: number, get: (off: number) => number, repeated: ArrayLike<number | { toString(): string }> | null | undefined): number[] => {
    if (view) {
      if (view.byteLength !== n * size) throw new MetacamError('E_MODEL_INVALID', `${what}: ${view.byteLength} bytes of data for shape [${dims.join(',')}]`);
      return Array.from({ length: n }, (_, i) => get(i * size));
    }
    return Array.from(repeated ?? [], (v) => toNumber(v));
  };
  switch (type) {
    case FLOAT:
      if (view) {
        const out = new Float32Array(n);
        if (view.byteLength !== n * 4) throw new MetacamError('E_MODEL_INVALID', `${what}: ${view.byteLength} bytes of data for shape [${dims.join(',')}]`);
        for (let i = 0; i < n; i++) out[i] = view.getFloat32(i * 4, true);
        return { dims, dtype: 'float32', data: out };
      }
      return hostTensor(dims, 'float32', t.floatData ?? []);
    case DOUBLE:
      return hostTensor(dims, 'float32', read(8, (o) => view!.getFloat64(o, true), t.doubleData));
    case INT64:
      return hostTensor(dims, 'int32', read(8, (o) => Number(view!.getBigInt64(o, true)), t.int64Data));
    case INT32:
      return hostTensor(dims, 'int32', read(4, (o) => view!.getInt32(o, true), t.int32Data));
    case INT8:
      return hostTensor(dims, 'int32', read(1, (o) => view!.getInt8(o), t.int32Data));
    case UINT8:
    case BOOL:
      return hostTensor(dims, 'int32', read(1, (o) => view!.getUint8(o), t.int32Data));
    default:
      throw new MetacamError('E_MODEL_UNSUPPORTED', `${what} has ONNX data type ${type}; supported: float, double, int8, uint8, bool, int32, int64`);
  }
}
