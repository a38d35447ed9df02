/** One decoded video frame, as it flows from the decoder through explain and overlay to the encoder. */
export interface RgbImage {
  readonly width: number;
  readonly height: number;
  /** RGB24, row-major, width*height*3 bytes. */
  readonly data: Uint8Array;
}

export interface Frame {
  /** 0-based decode order index; every decoded frame appears exactly once, in order. */
  readonly index: number;
  /** Presentation time in seconds from the start of the stream. */
  readonly ptsSeconds: number;
  /** The full-size frame (display orientation), what the overlay draws on and the encoder writes. */
  readonly image: RgbImage;
  /** The same frame scaled to the model's input size (decoded by ffmpeg alongside the full-size one). */
  readonly input: RgbImage;
  /** Frames dropped by a lossy (live) source before this one, cumulative; 0 for files. */
  readonly dropped?: number;
  /** Wall-clock time (ms since epoch) when the frame left the decoder; for latency measurement. */
  readonly capturedAt?: number;
}
