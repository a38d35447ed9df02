/**
 * Frame-exact segments. Segment i explains frames [first, first + count) of the input; its worker decodes from
 * `decodeFrom = max(0, first − preRoll)` so MetaCAM's temporal state is warm at `first`, and drops the
 * pre-roll frames. Frames are counted, not timed: the decoder skips `decodeFrom` frames (trim=start_frame), so a
 * segment never gains or loses a frame to timestamp rounding and the joined video has the input's frame count.
 *
 * Pre-roll: the threshold smoother is an EMA with time constant T (threshold-smoother.ts); a value seen P seconds
 * earlier still weighs exp(−P/T). τ lies in [0, 1], so after P = T·ln(1/ε) seconds of pre-roll a segment's
 * smoothed τ differs from an unsegmented run's by less than ε. With ε = 1e-4 that is 9.2·T; at the default
 * T = 0.5 s and 25 fps, 116 frames. The consensus-map smoother is the same kind of EMA, so the coordinator passes
 * the longer of the two time constants. At least 1 frame, so the scene-cut detector has the frame before `first`.
 */
import { MetacamError } from '../errors.js';

export interface Segment {
  readonly index: number;
  /** First frame this segment outputs (0-based, in the input's decode order). */
  readonly first: number;
  /** Frames it outputs. */
  readonly count: number;
  /** First frame it decodes (≤ first); frames decodeFrom..first−1 only warm the smoothers. */
  readonly decodeFrom: number;
}

/** Largest difference allowed between a segment's smoothed thresholds and an unsegmented run's. */
export const PRE_ROLL_EPSILON = 1e-4;

export function preRollFrames(smoothSeconds: number, fps: number, epsilon = PRE_ROLL_EPSILON): number {
  if (!(fps > 0) || !Number.isFinite(fps)) throw new MetacamError('E_INPUT_INVALID', `cannot plan segments: the input's frame rate is ${fps}`);
  if (!(smoothSeconds >= 0)) throw new MetacamError('E_ARG', `smoothSeconds must be ≥ 0, got ${smoothSeconds}`);
  return Math.max(1, Math.ceil(smoothSeconds * Math.log(1 / epsilon) * fps));
}

export function planSegments(o: { frameCount: number; fps: number; segmentSeconds: number; preRoll: number }): Segment[] {
  const { frameCount, fps, segmentSeconds, preRoll } = o;
  if (!Number.isInteger(frameCount) || frameCount <= 0) {
    throw new MetacamError('E_INPUT_INVALID', `cannot plan segments: the input has ${frameCount} frames (ffprobe could not count them). Re-encode it, or explain it without --queue.`);
  }
  if (!(segmentSeconds > 0) || !Number.isFinite(segmentSeconds)) throw new MetacamError('E_ARG', `--segment-seconds must be a positive number, got ${segmentSeconds}`);
  if (!Number.isInteger(preRoll) || preRoll < 0) throw new MetacamError('E_INTERNAL', `pre-roll must be an integer ≥ 0, got ${preRoll}`);
  const per = Math.max(1, Math.round(segmentSeconds * fps));
  const segments: Segment[] = [];
  for (let first = 0, index = 0; first < frameCount; first += per, index++) {
    segments.push({ index, first, count: Math.min(per, frameCount - first), decodeFrom: Math.max(0, first - preRoll) });
  }
  return segments;
}
