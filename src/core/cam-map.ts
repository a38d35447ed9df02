/** A single-channel map at some resolution (usually the target layer's h×w), row-major. */
export interface CamMap {
  readonly width: number;
  readonly height: number;
  /** Row-major values; for normalised maps, in [0,1]. */
  readonly data: Float32Array;
}

export function camMap(width: number, height: number, data?: Float32Array): CamMap {
  const d = data ?? new Float32Array(width * height);
  if (d.length !== width * height) throw new RangeError(`map data has ${d.length} values, expected ${width}×${height}`);
  return { width, height, data: d };
}
