/**
 * Pairs the full-size and the model-size raw streams of one ffmpeg into frames, in lockstep.
 *
 * Lossless mode (files): while fewer than `maxBuffered` pairs wait, a pipe is read while it holds fewer than
 * `maxBuffered` complete frames, or while the other pipe holds none. The second clause prevents a deadlock:
 * ffmpeg may write several frames to one output before the other (decoder threads flush in bursts); if we
 * stopped reading pipe A while waiting for pipe B, ffmpeg could block on A forever. Once `maxBuffered` pairs
 * wait, both pipes pause. Memory stays bounded by that skew plus `maxBuffered` pairs.
 *
 * Latest mode (live): both pipes are always read; only the newest complete pair is kept and each pair that is
 * overwritten before anyone asked for it counts as dropped.
 */
import type { Readable } from 'node:stream';
import { FramePipe } from './frame-pipe.js';

export interface FramePair {
  readonly image: Uint8Array;
  readonly input: Uint8Array;
  /** 0-based number of this pair in the source (gaps in latest mode where pairs were dropped). */
  readonly sequence: number;
  /** Date.now() when the pair was complete. */
  readonly at: number;
}

export interface FramePairReaderOptions {
  readonly mode: 'lossless' | 'latest';
  /** Lossless mode: complete frames a pipe may buffer before it is paused (default 2). */
  readonly maxBuffered?: number;
  /** Supplies the full-size frames' buffers (e.g. a BufferPool's acquire); default: a fresh one per frame. */
  readonly allocateFull?: () => Uint8Array;
}

export class FramePairReader {
  private readonly full: FramePipe;
  private readonly model: FramePipe;
  private readonly pairs: FramePair[] = [];
  private sequence = 0;
  private waiter: (() => void) | undefined;
  private readonly maxBuffered: number;
  /** Pairs overwritten before they were taken (latest mode). */
  dropped = 0;

  constructor(fullStream: Readable, fullSize: number, modelStream: Readable, modelSize: number, private readonly options: FramePairReaderOptions) {
    this.maxBuffered = Math.max(1, options.maxBuffered ?? 2);
    const changed = () => this.update();
    this.full = new FramePipe(fullStream, fullSize, changed, options.allocateFull);
    this.model = new FramePipe(modelStream, modelSize, changed);
  }

  /** Pairs completed so far (taken, waiting or dropped). */
  get produced(): number {
    return this.sequence;
  }

  /** Both pipes ended and every complete pair was taken. */
  get done(): boolean {
    return this.full.ended && this.model.ended && this.pairs.length === 0 && !this.canPair();
  }

  /** Describes a clean-looking end that was not (different frame counts, a trailing partial frame), else undefined. */
  get endProblem(): string | undefined {
    const f = this.full.completed, m = this.model.completed;
    if (f !== m) return `full-size stream had ${f} frames but model-size stream had ${m}`;
    if (this.full.partialBytes || this.model.partialBytes) {
      return `stream ended mid-frame (${this.full.partialBytes} + ${this.model.partialBytes} stray bytes)`;
    }
    return undefined;
  }

  get streamError(): Error | undefined {
    return this.full.error ?? this.model.error;
  }

  /** Buffered complete frames across both pipes plus pairs waiting (for memory tests). */
  get buffered(): number {
    return this.full.frames.length + this.model.frames.length + this.pairs.length * 2;
  }

  /** Next pair, or null once both streams ended. In latest mode, the newest pair (waits for one if none). */
  async next(): Promise<FramePair | null> {
    for (;;) {
      const p = this.pairs.shift();
      if (p) {
        this.update();
        return p;
      }
      if (this.full.ended && this.model.ended && !this.canPair()) return null;
      await new Promise<void>((resolve) => { this.waiter = resolve; });
    }
  }

  destroy(): void {
    this.full.destroy();
    this.model.destroy();
    this.pairs.length = 0;
    this.wake();
  }

  private canPair(): boolean {
    return this.full.frames.length > 0 && this.model.frames.length > 0;
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }

  private update(): void {
    while (this.canPair()) {
      const pair = { image: this.full.frames.shift()!, input: this.model.frames.shift()!, sequence: this.sequence++, at: Date.now() };
      if (this.options.mode === 'latest' && this.pairs.length > 0) {
        this.dropped += this.pairs.length;
        this.pairs.length = 0;
      }
      this.pairs.push(pair);
      if (this.options.mode === 'lossless' && this.pairs.length >= this.maxBuffered) break;
    }
    if (this.options.mode === 'lossless') {
      const room = this.pairs.length < this.maxBuffered;
      const f = this.full.frames.length, m = this.model.frames.length;
      this.full.setReading(room && (f < this.maxBuffered || m === 0));
      this.model.setReading(room && (m < this.maxBuffered || f === 0));
    }
    if (this.pairs.length > 0 || (this.full.ended && this.model.ended)) this.wake();
  }
}
