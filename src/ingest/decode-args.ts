/**
 * argv for the one ffmpeg process that decodes a source into two raw RGB24 streams in lockstep: the full-size
 * frame on stdout (what the overlay draws on and the encoder writes) and the model-size frame on fd 3 (what the
 * network sees), so scaling happens once, in C, and the two can never drift apart. ffmpeg autorotates by
 * default, so both are in display orientation. `-vsync passthrough` (4.x) / `-fps_mode passthrough` (≥ 5)
 * keeps exactly one output frame per decoded frame: no duplicates, no drops.
 */
import { localInput } from './local-input.js';

export type SyncFlag = 'vsync' | 'fps_mode';

export interface DecodeArgsOptions {
  /** The input arguments, ending in `-i <input>` (see `fileInputArgs` / `liveInputArgs`). */
  readonly inputArgs: readonly string[];
  /** Model input size (the fd 3 stream). Stretched, not letterboxed: that is what the models were trained on. */
  readonly width: number;
  readonly height: number;
  /** Optional size for the full-size stream (e.g. to cap a 4K live camera); default: display size. */
  readonly fullWidth?: number;
  readonly fullHeight?: number;
  /** Resample to a constant rate first (live sources); default: keep every decoded frame. */
  readonly fps?: number;
  /** Which passthrough flag the ffmpeg build understands; default 'vsync' (works on 4.1 and 5.x). */
  readonly syncFlag?: SyncFlag;
  /** swscale flags for the model-size stream (default 'bilinear'). */
  readonly scaleFlags?: string;
  /**
   * Skip the input's first N decoded frames (trim=start_frame: counted, not timed, so frame-exact; ffmpeg still
   * decodes them, in C). For segment workers; default 0 (and the graph is then unchanged).
   */
  readonly startFrame?: number;
}

function positiveInt(name: string, v: number): number {
  if (!Number.isInteger(v) || v <= 0) throw new RangeError(`${name} must be a positive integer, got ${v}`);
  return v;
}

/** The filter graph alone, exported for tests and for reuse by the live decoder. */
export function decodeFilterGraph(o: Omit<DecodeArgsOptions, 'inputArgs' | 'syncFlag'>): string {
  const w = positiveInt('width', o.width);
  const h = positiveInt('height', o.height);
  if (o.startFrame !== undefined && (!Number.isInteger(o.startFrame) || o.startFrame < 0)) {
    throw new RangeError(`startFrame must be an integer ≥ 0, got ${o.startFrame}`);
  }
  const trim = o.startFrame ? `trim=start_frame=${o.startFrame},` : '';
  const pre = `${trim}${o.fps !== undefined ? `fps=${o.fps},` : ''}`;
  const flags = o.scaleFlags ?? 'bilinear';
  const full = o.fullWidth !== undefined && o.fullHeight !== undefined
    ? `;[f0]scale=${positiveInt('fullWidth', o.fullWidth)}:${positiveInt('fullHeight', o.fullHeight)}:flags=${flags}[full]`
    : '';
  const fullLabel = full ? 'f0' : 'full';
  return `[0:v:0]${pre}split=2[${fullLabel}][m0];[m0]scale=${w}:${h}:flags=${flags}[model]${full}`;
}

export function fileInputArgs(path: string): string[] {
  return ['-i', localInput(path)];
}

export function decodeArgs(o: DecodeArgsOptions): string[] {
  const sync = o.syncFlag ?? 'vsync';
  const perOutput = sync === 'fps_mode' ? ['-fps_mode', 'passthrough'] : [];
  const global = sync === 'vsync' ? ['-vsync', 'passthrough'] : [];
  return [
    '-hide_banner', '-nostdin', '-nostats', '-loglevel', 'error',
    ...o.inputArgs,
    '-filter_complex', decodeFilterGraph(o),
    ...global,
    '-map', '[full]', ...perOutput, '-an', '-sn', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1',
    '-map', '[model]', ...perOutput, '-an', '-sn', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:3',
  ];
}
