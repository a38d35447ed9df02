/** Live preview: JPEG encoding of overlaid frames and the WebSocket server + viewer page. */
export { createJpegEncoder, type JpegEncoder, type JpegEncoderOptions } from './jpeg-encoder.js';
export { JpegStreamSplitter, findJpegEnd } from './jpeg-stream-splitter.js';
export {
  startPreviewServer,
  type PreviewServer, type PreviewServerOptions, type PreviewItem, type PreviewStats, type ViewerState,
} from './preview-server.js';
export {
  COLORMAPS, DEFAULT_PRESETS, VIEWS, parseControlMessage, validateControlMessage,
  type ColormapName, type ControlLimits, type ControlMessage, type ValidationResult, type ViewName,
} from './control-message.js';
export type { ClientInfo } from './client-channel.js';
export { TOKEN_PROTOCOL_PREFIX, VIEWER_PROTOCOL, tokensEqual } from './token-check.js';
export { createPreviewTap, type PreviewTap } from './preview-tap.js';
