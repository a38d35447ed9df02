/**
 * metacam-video as a library: the same pipeline the CLI runs, as composable RxJS pieces — a source
 * (`decodeFrames`), operators (`explainFrames`, `withMetaCam`, `overlayFrames`) and a sink (`encodeVideo`) —
 * so you can put your own `map`/`tap` in between. See README.md for a complete example.
 */
export { openSession, chooseMembers, resolveClass, type Session, type OpenSessionHow } from './pipeline/session.js';
export { createFrameStage, withMetaCam, type FrameStage, type MetaCamItem } from './pipeline/frame-stage.js';
export { DEFAULT_MODEL_SETTINGS, resolveModelSettings, type ModelSettings } from './explain/model/model-settings.js';
export { DEFAULT_METACAM_SETTINGS, resolveMetaCamSettings, type MetaCamSettings } from './metacam/metacam-settings.js';
export { explainVideo, type ExplainVideoOptions, type ExplainVideoResult, type ExplainedFrame } from './pipeline/explain-video.js';
export { explainStill, type StillResult } from './pipeline/explain-still.js';
export { runLivePreview, type LivePreviewOptions, type LivePreviewResult } from './pipeline/live-preview.js';
export { decodeFrames, liveFrames, encodeVideo, probeVideo, createFlow, readImage, writeImage, resolveFfmpeg, type Frame, type RgbImage, type Flow, type VideoInfo, type FfmpegInfo } from './ingest/index.js';
export { explainFrames, loadModel, openModel, openEngine, listBundledModels, selectBackend, type Explainer, type LoadedModel, type AnyLoadedModel, type ModelEngine, type ModelInfo, type FrameMaps, type CamMap, type CamMethod, type CamContext } from './explain/index.js';
export { METHODS, getMethod, getMethods, methodIds } from './explain/methods/index.js';
export { createMetaCam, resolveMembers, type FrameExplanation, type ExplanationMaps, type MetaCam, type MetaCamOptions } from './metacam/index.js';
export { overlayFrame, overlayFrames, DEFAULT_OVERLAY_OPTIONS, resolveOverlayOptions, type OverlayOptions } from './overlay/index.js';
export { startPreviewServer, createJpegEncoder, type PreviewServer } from './server/index.js';
export { createAuditWriter, verifyAuditLog, summariseAuditLog, renderSummaryHtml } from './audit/index.js';
export { MetacamError, FfmpegError, type ErrorCode } from './errors.js';
