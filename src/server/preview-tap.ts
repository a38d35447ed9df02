/**
 * The pipeline's side of the preview: hand it every overlaid frame, it JPEG-encodes and publishes what it
 * can without ever making the pipeline wait. At most one encode runs; while it runs only the newest offered
 * frame is kept (latest wins, older ones are counted as skipped), and nothing is encoded while no viewer is
 * connected. So preview cost is bounded by the encoder's speed, not by the pipeline's frame rate.
 */
import type { RgbImage } from '../core/frame.js';
import type { FrameExplanation } from '../core/frame-explanation.js';
import type { JpegEncoder } from './jpeg-encoder.js';
import type { PreviewServer, PreviewStats } from './preview-server.js';

export interface PreviewTap {
  /** Offers a frame; returns at once. */
  offer(image: RgbImage, explanation: FrameExplanation, stats?: PreviewStats): void;
  /** Resolves when nothing is being encoded or waiting (for tests and orderly shutdown). */
  idle(): Promise<void>;
  readonly counts: { readonly offered: number; readonly published: number; readonly skipped: number; readonly failed: number };
  /** Last encoder error, if any (the preview keeps going; the pipeline must not die for its preview). */
  readonly lastError: Error | undefined;
}

interface Offer {
  readonly image: RgbImage;
  readonly explanation: FrameExplanation;
  readonly stats?: PreviewStats;
}

export function createPreviewTap(server: Pick<PreviewServer, 'publish' | 'clientCount'>, encoder: JpegEncoder): PreviewTap {
  let busy = false;
  let waiting: Offer | undefined;
  let idleWaiters: (() => void)[] = [];
  const counts = { offered: 0, published: 0, skipped: 0, failed: 0 };
  let lastError: Error | undefined;

  function settleIdle(): void {
    if (busy || waiting) return;
    const ws = idleWaiters;
    idleWaiters = [];
    for (const w of ws) w();
  }

  async function run(first: Offer): Promise<void> {
    busy = true;
    let next: Offer | undefined = first;
    while (next) {
      const o: Offer = next;
      try {
        const jpeg = await encoder.encode(o.image);
        server.publish({ jpeg, explanation: o.explanation, stats: o.stats });
        counts.published++;
      } catch (e) {
        counts.failed++;
        lastError = e as Error;
      }
      next = waiting;
      waiting = undefined;
    }
    busy = false;
    settleIdle();
  }

  return {
    offer(image, explanation, stats) {
      counts.offered++;
      if (server.clientCount() === 0) {
        counts.skipped++;
        return;
      }
      const o = { image, explanation, stats };
      if (busy) {
        if (waiting) counts.skipped++;
        waiting = o;
        return;
      }
      void run(o);
    },
    idle() {
      return busy || waiting ? new Promise<void>((r) => idleWaiters.push(r)) : Promise.resolve();
    },
    get counts() {
      return { ...counts };
    },
    get lastError() {
      return lastError;
    },
  };
}
