/**
 * A pool of equal-size byte buffers for the 720p hot path. Why: on a VM, first touching a fresh 2.76 MB buffer
 * costs 9–25 ms of page faults; refilling one that was used before costs ≈ 0.2 ms. A pipeline that owns a
 * frame's whole life (decode → overlay → encode) takes buffers here and gives each back once nothing refers to
 * it any more (the encoder has written it). How many exist at once is bounded by the pipeline's flow credits,
 * not by the pool; `maxFree` only caps what the pool keeps between uses.
 *
 * Safety: only buffers this pool lent out can come back, each exactly once (a second release, or a foreign
 * buffer, throws), and a buffer is handed out again only after its release. A consumer that keeps a frame must
 * not be given pooled buffers, or must copy what it keeps before the pipeline releases it.
 */
import { MetacamError } from '../errors.js';

export interface BufferPoolStats {
  /** Buffers allocated fresh (first use). */
  readonly allocated: number;
  /** acquire() calls served by a released buffer. */
  readonly reused: number;
  /** Buffers lent out and not yet released (including any dropped without a release). */
  readonly outstanding: number;
  /** Released buffers waiting for reuse. */
  readonly free: number;
}

export class BufferPool {
  private readonly freeList: Uint8Array[] = [];
  // Weak: a buffer lent out and then dropped (an unsubscribed pipeline, a skipped live frame) is simply
  // collected, never kept alive by the pool.
  private readonly lent = new WeakSet<Uint8Array>();
  private outstanding = 0;
  private allocated = 0;
  private reused = 0;

  constructor(readonly size: number, readonly maxFree = 64) {
    if (!Number.isInteger(size) || size <= 0) throw new RangeError(`buffer size must be a positive integer, got ${size}`);
    if (!Number.isInteger(maxFree) || maxFree < 0) throw new RangeError(`maxFree must be an integer ≥ 0, got ${maxFree}`);
  }

  /** A buffer of `size` bytes: a released one when there is one (its old contents are still there), else new. */
  acquire(): Uint8Array {
    let buf = this.freeList.pop();
    if (buf) this.reused++;
    else {
      buf = new Uint8Array(this.size);
      this.allocated++;
    }
    this.lent.add(buf);
    this.outstanding++;
    return buf;
  }

  /** Gives a buffer back for reuse. The caller must hold no reference it will read or write later. */
  release(buf: Uint8Array): void {
    if (!this.lent.delete(buf)) {
      throw new MetacamError('E_INTERNAL', `BufferPool.release: a buffer of ${buf.length} bytes that this pool did not lend (or released twice)`);
    }
    this.outstanding--;
    if (this.freeList.length < this.maxFree) this.freeList.push(buf);
  }

  /** True while `buf` is lent out by this pool (acquired and not yet released). */
  owns(buf: Uint8Array): boolean {
    return this.lent.has(buf);
  }

  get stats(): BufferPoolStats {
    return { allocated: this.allocated, reused: this.reused, outstanding: this.outstanding, free: this.freeList.length };
  }
}
