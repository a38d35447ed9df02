/**
 * The whole file job: decode → explain (batched) → MetaCAM → overlay → encode, with taps for the audit log,
 * progress and statistics. Decoding and encoding run in ffmpeg child processes (the other core); a flow of
 * credits bounds how many frames are between the decoder and the encoder, so memory stays flat on any length.
 * Interruption (an AbortSignal) ends the source early; every frame already decoded is still explained, encoded
 * and logged, so the partial MP4 and the audit log agree frame for frame.
 *
 * On a small machine inference is the bottleneck, so everything else is arranged around it: ffmpeg runs at a
 * lower priority, the next batch reaches the explainer before this thread renders the last one's overlays, the
 * first batch is small, and (with `recycleBuffers`) the 720p frame and overlay buffers are reused.
 */
import { rename } from 'node:fs/promises';
import { concatMap, filter, take, takeUntil, fromEvent, EMPTY, type Observable } from 'rxjs';
import { probeVideo, type VideoInfo } from '../ingest/probe-video.js';
import { decodeFrames } from '../ingest/decode-frames.js';
import { encodeVideo } from '../ingest/encode-video.js';
import { ffmpegExited } from '../ingest/spawn-ffmpeg.js';
import { createFlow } from '../ingest/flow.js';
import { checkNiceness } from '../ingest/nice-command.js';
import { MetacamError } from '../errors.js';
import { BufferPool, type BufferPoolStats } from '../ingest/buffer-pool.js';
import { partialPathFor } from '../ingest/partial-path.js';
import type { Frame, RgbImage } from '../core/frame.js';
import type { Explainer } from '../explain/engine/explainer.js';
import { explainFrames } from '../explain/engine/explain-frames.js';
import { MergeTally, type MergeCount } from '../metacam/distinct-members.js';
import { FlickerMeter } from '../metacam/flicker.js';
import type { ExplanationMaps, FrameExplanation } from '../core/frame-explanation.js';
import { pickMetaCamSettings, type MetaCamSettings } from '../metacam/metacam-settings.js';
import { gridLayout, overlayFrames, type OverlayOptions } from '../overlay/index.js';
import { createFrameStage, withMetaCam, type MetaCamItem } from './frame-stage.js';
import type { Session } from './session.js';

/** MetaCAM and overlay settings shared by the file and the live pipelines (defaults: their stages'). */
export interface ExplainSettings extends Partial<MetaCamSettings> {
  readonly overlay: Partial<OverlayOptions>;
}

export interface ExplainVideoOptions extends ExplainSettings {
  readonly input: string;
  readonly output: string;
  readonly maxFrames?: number;
  readonly signal?: AbortSignal;
  /** Called for every finished frame, in order (audit log, progress, preview taps). */
  readonly onFrame?: (item: ExplainedFrame) => void | Promise<void>;
  /** Explain with this instead of the session's in-process explainer (e.g. a worker-thread one). */
  readonly explainer?: Pick<Explainer, 'explainBatch' | 'batchSize'>;
  /** The input, already probed (skips a second ffprobe). */
  readonly info?: VideoInfo;
  /** Called once the input is probed. */
  readonly onStart?: (info: VideoInfo) => void;
  /**
   * Recycle the 720p buffers: decoded frames and overlays come from two pools instead of fresh allocations
   * (first-touching a fresh 2.76 MB buffer costs 9–25 ms of page faults on a VM). Then `onFrame`'s item is
   * only valid until the promise it returns settles: `frame.image.data` is reused once the overlay is made and
   * `onFrame` is done, `overlay.data` once the encoder has written it. Copy anything kept longer. Default off.
   */
  readonly recycleBuffers?: boolean;
  /**
   * CPU priority of the decoding and encoding ffmpeg (niceness, default 10; 0 = unchanged). Inference is the
   * bottleneck: at equal priority ffmpeg's threads take turns with it on a small machine; lowered, they run
   * on the time inference leaves (the flow credits keep them from falling behind for long).
   */
  readonly ffmpegNiceness?: number;
  /**
   * Frames in the first batch (default half the batch size, at most the batch size): inference starts once
   * these are decoded rather than a whole batch; later batches are full. Results do not depend on the grouping.
   * (Measured, 24 frames of 720p, batch 8, paired runs: first batch 2 / 3 / 4 → 1.04 / 1.07 / 1.06× the fps of 8.)
   */
  readonly firstBatch?: number;
  /**
   * Explain one segment of the input only (segment-parallel runs, src/queue): output frames first…first+count−1,
   * decoding from `decodeFrom` (≤ first) so the temporal smoothers and the scene-cut detector are warm; the
   * pre-roll frames are explained but not tapped, counted or encoded. No audio: the join muxes the source's.
   */
  readonly segment?: { readonly decodeFrom: number; readonly first: number; readonly count: number };
}

export interface ExplainedFrame {
  readonly frame: Frame;
  readonly explanation: FrameExplanation;
  readonly maps: ExplanationMaps;
  readonly overlay: RgbImage;
}

export interface ExplainVideoResult {
  readonly output: string;
  readonly interrupted: boolean;
  readonly frames: number;
  readonly inputFrames: number;
  readonly seconds: number;
  readonly fps: number;
  readonly flicker: number;
  readonly sceneCuts: number[];
  /** Members counted once because their map equalled another's, with the number of frames (metacam/distinct-members.ts). */
  readonly merged: MergeCount[];
  readonly info: VideoInfo;
  /** With `recycleBuffers`: how often the frame and overlay pools allocated and reused a 720p buffer. */
  readonly buffers?: { readonly frames: BufferPoolStats; readonly overlays: BufferPoolStats };
}

/** See `ExplainVideoOptions.ffmpegNiceness`. */
export const DEFAULT_FFMPEG_NICENESS = 10;
/** See `ExplainVideoOptions.firstBatch`. */
export function defaultFirstBatch(batchSize: number): number {
  return Math.max(1, Math.ceil(batchSize / 2));
}

export async function explainVideo(session: Session, options: ExplainVideoOptions): Promise<ExplainVideoResult> {
  const started = performance.now();
  const info = options.info ?? (await probeVideo(options.input));
  options.onStart?.(info);
  const { model } = session;
  const explainer = options.explainer ?? session.explainer;
  const flow = createFlow({ highWaterMark: Math.max(2, explainer.batchSize) * 3 });
  const metacam = pickMetaCamSettings(options);
  // Resolved (and checked) before any ffmpeg starts, with the members' grid captions filled in.
  const overlayOptions = createFrameStage({ members: session.members, labels: model.labels, metacam, overlay: options.overlay }).overlay;
  const flicker = new FlickerMeter();
  const sceneCuts: number[] = [];
  const merges = new MergeTally();
  let frames = 0;
  const abort$: Observable<unknown> = options.signal ? fromEvent(options.signal, 'abort') : EMPTY;

  const size = overlayOptions.layout === 'grid'
    ? gridLayout(info.width, info.height, session.members.length + 2, overlayOptions.gridMaxWidth, overlayOptions.gridMaxHeight)
    : { width: info.width, height: info.height };
  // Both pools are bounded by the flow: at most highWaterMark frames (and their overlays) exist at once.
  const framePool = options.recycleBuffers ? new BufferPool(info.width * info.height * 3) : undefined;
  const overlayPool = options.recycleBuffers ? new BufferPool(size.width * size.height * 3) : undefined;

  const niceness = options.ffmpegNiceness ?? DEFAULT_FFMPEG_NICENESS;
  try {
    checkNiceness(niceness);
  } catch (e) {
    throw new MetacamError('E_ARG', `ffmpegNiceness: ${(e as Error).message}`);
  }
  const { segment } = options;
  if (segment && !(Number.isInteger(segment.decodeFrom) && segment.decodeFrom >= 0 && segment.decodeFrom <= segment.first && segment.count > 0)) {
    throw new MetacamError('E_INTERNAL', `explainVideo: bad segment ${JSON.stringify(segment)}`);
  }
  let decoderPid: number | undefined;
  let source$ = decodeFrames(options.input, {
    width: model.inputSize.width, height: model.inputSize.height, flow, info, onSpawn: (pid) => { decoderPid = pid; }, niceness,
    ...(framePool ? { pool: framePool } : {}),
    ...(segment ? { startFrame: segment.decodeFrom } : {}),
  });
  if (segment) source$ = source$.pipe(take(segment.first - segment.decodeFrom + segment.count));
  else if (options.maxFrames !== undefined) source$ = source$.pipe(take(options.maxFrames));
  // A pre-roll frame leaves here: give back its flow credit and its buffer (the encoder never sees it).
  const isOutput = (item: { frame: Frame }): boolean => {
    if (!segment || item.frame.index >= segment.first) return true;
    flow.release();
    framePool?.release(item.frame.image.data);
    return false;
  };
  const explained$ = source$.pipe(
    takeUntil(abort$),
    // The next batch reaches the explainer before this thread renders the overlays of the last one, and the
    // first batch is small so inference starts while the decoder is still filling the second (explain-frames.ts).
    explainFrames(explainer, { firstBatch: options.firstBatch ?? defaultFirstBatch(explainer.batchSize) }),
    withMetaCam(session, metacam),
    filter<MetaCamItem>(isOutput),
    overlayFrames(overlayOptions, overlayPool ? { acquire: () => overlayPool.acquire() } : {}),
    concatMap(async (item: ExplainedFrame) => {
      frames++;
      if (item.explanation.sceneCut) sceneCuts.push(item.frame.index);
      flicker.push(item.maps.metacam, item.explanation.sceneCut);
      merges.push(item.explanation.merged);
      await options.onFrame?.(item);
      // The overlay is made and every tap is done with the decoded frame: its buffer can be decoded into again.
      framePool?.release(item.frame.image.data);
      return item.overlay;
    }),
  );

  try {
    await encodeVideo(explained$, {
      output: options.output,
      fps: info.fps,
      width: size.width,
      height: size.height,
      audioFrom: info.hasAudio && !segment ? options.input : undefined,
      flow,
      niceness,
      ...(overlayPool ? { onWritten: (data: Uint8Array) => overlayPool.release(data) } : {}),
    });
  } finally {
    // When the encoder stops early (it died, a tap threw) the decoder was just sent SIGKILL: settle only once it
    // is gone, so no child outlives the call.
    await ffmpegExited(decoderPid);
  }
  const interrupted = Boolean(options.signal?.aborted);
  let output = options.output;
  if (interrupted) {
    // An interrupted run keeps what it made, clearly named as incomplete (still playable: fragmented MP4).
    output = partialPathFor(options.output);
    await rename(options.output, output);
  }
  const seconds = (performance.now() - started) / 1000;
  const buffers = framePool && overlayPool ? { buffers: { frames: framePool.stats, overlays: overlayPool.stats } } : {};
  return { output, interrupted, frames, inputFrames: segment ? segment.count : info.frameCount, seconds, fps: frames / seconds, flicker: flicker.value, sceneCuts, merged: merges.value, info, ...buffers };
}
