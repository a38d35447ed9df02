/**
 * The ingest layer: ffmpeg in and out. Sources (`decodeFrames` for files, `liveFrames` for cameras/streams),
 * the sink (`encodeVideo`), still images, probing, credit-based flow control, and the pure argv builders.
 */
export { resolveFfmpeg, findFfmpeg, type FfmpegInfo, type FfmpegSource } from './ffmpeg-path.js';
export type { Frame, RgbImage } from '../core/frame.js';
export { spawnFfmpeg, runFfmpeg, liveFfmpegPids, type FfmpegProcess, type FfmpegExit, type SpawnFfmpegOptions } from './spawn-ffmpeg.js';
export { probeArgs, countPacketsArgs } from './probe-args.js';
export { decodeArgs, decodeFilterGraph, fileInputArgs, type DecodeArgsOptions, type SyncFlag } from './decode-args.js';
export { encodeArgs, fpsArg, fpsValue, type EncodeArgsOptions } from './encode-args.js';
export { evenSize, type EvenSize } from './even-size.js';
export { imageDecodeArgs, imageEncodeArgs, imageFormatFor, type ImageFormat, type ImageEncodeArgsOptions } from './image-args.js';
export { parseLiveSource, liveInputArgs, describeLiveSource, isNetworkSource, TESTSRC_DEFAULT, type LiveSource } from './live-source.js';
export { localInput } from './local-input.js';
export { partialPathFor } from './partial-path.js';
export { checkInputFile } from './check-input.js';
export { parseProbe, parseRational, rotationOf, frameRateOf, type VideoInfo, type ProbeJson, type ProbeStream } from './parse-probe.js';
export { probeVideo } from './probe-video.js';
export { createFlow, type Flow, type FlowOptions } from './flow.js';
export { BufferPool, type BufferPoolStats } from './buffer-pool.js';
export { FramePipe } from './frame-pipe.js';
export { FramePairReader, type FramePair, type FramePairReaderOptions } from './frame-pair-reader.js';
export { decodeFrames, type DecodeFramesOptions } from './decode-frames.js';
export { liveFrames, backoffDelay, type LiveFramesOptions, type LiveEvent, type RetryOptions } from './live-frames.js';
export { encodeVideo, type EncodeVideoOptions, type EncodeResult, type Encodable } from './encode-video.js';
export { readImage, writeImage } from './image-io.js';
export { makeTestClip, indexColour, testClipArgs, type TestClipOptions } from './make-test-clip.js';
export { pngSize } from './png-size.js';
