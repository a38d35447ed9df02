/**
 * Cuts one raw-video byte stream (an ffmpeg pipe) into fixed-size frames. Each frame is copied once into its
 * own Uint8Array, so a frame handed downstream never aliases a buffer that is reused later. By default each
 * frame is a fresh allocation; an `allocate` function (e.g. a BufferPool's acquire) can supply recycled ones,
 * and then whoever takes a frame owns its buffer until it gives it back to that pool. Reading is switched
 * on and off by the owner (`setReading`): when off, the stream is paused, the OS pipe fills, and ffmpeg blocks
 * on write — that is how backpressure reaches the child.
 */
import type { Readable } from 'node:stream';

export class FramePipe {
  readonly frames: Uint8Array[] = [];
  ended = false;
  error: Error | undefined;
  /** Frames completed since the pipe opened. */
  completed = 0;
  private cur: Uint8Array;
  private filled = 0;
  private reading = true;

  constructor(
    private readonly stream: Readable,
    readonly frameSize: number,
    private readonly onChange: () => void,
    private readonly allocate: () => Uint8Array = () => new Uint8Array(frameSize),
  ) {
    if (!Number.isInteger(frameSize) || frameSize <= 0) throw new RangeError(`frame size must be > 0, got ${frameSize}`);
    this.cur = this.nextBuffer();
    stream.on('data', (chunk: Buffer) => this.push(chunk));
    stream.once('end', () => this.finish());
    stream.once('close', () => this.finish());
    stream.once('error', (e: Error) => { this.error ??= e; this.finish(); });
  }

  /** Bytes of an incomplete trailing frame (non-zero at the end means the producer stopped mid-frame). */
  get partialBytes(): number {
    return this.filled;
  }

  setReading(on: boolean): void {
    if (on === this.reading || this.ended) return;
    this.reading = on;
    if (on) this.stream.resume();
    else this.stream.pause();
  }

  destroy(): void {
    this.stream.destroy();
    this.frames.length = 0;
  }

  private push(chunk: Buffer): void {
    let off = 0;
    while (off < chunk.length) {
      const n = Math.min(this.frameSize - this.filled, chunk.length - off);
      this.cur.set(chunk.subarray(off, off + n), this.filled);
      this.filled += n;
      off += n;
      if (this.filled === this.frameSize) {
        this.frames.push(this.cur);
        this.completed++;
        this.cur = this.nextBuffer();
        this.filled = 0;
      }
    }
    this.onChange();
  }

  private nextBuffer(): Uint8Array {
    const buf = this.allocate();
    if (buf.length !== this.frameSize) throw new RangeError(`allocate() gave ${buf.length} bytes for a ${this.frameSize}-byte frame`);
    return buf;
  }

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    this.onChange();
  }
}
