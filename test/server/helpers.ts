/**
 * Test publisher and clients for the preview server: synthetic frames and explanations, real `ws` clients
 * that record every message, and waits that resolve on events (with a timeout) rather than sleeping.
 */
import WebSocket from 'ws';
import { request } from 'node:http';
import type { RgbImage } from '../../src/core/frame.js';
import type { FrameExplanation } from '../../src/core/frame-explanation.js';

export const LABELS = ['Drawing', 'Hentai', 'Neutral', 'Porn', 'Sexy'];

/** A frame with a bright square that moves with `i`, on a slowly changing background. */
export function movingFrame(width: number, height: number, i: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  const size = Math.round(Math.min(width, height) / 4);
  const cx = Math.round(((Math.sin(i / 7) + 1) / 2) * (width - size));
  const cy = Math.round(((Math.cos(i / 11) + 1) / 2) * (height - size));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 3;
      const inside = x >= cx && x < cx + size && y >= cy && y < cy + size;
      data[o] = inside ? 250 : (x * 255) / width;
      data[o + 1] = inside ? 200 : (y * 255) / height;
      data[o + 2] = inside ? 40 : (i * 3) & 255;
    }
  }
  return { width, height, data };
}

/** Incompressible noise: large JPEGs, for filling socket buffers. */
export function noiseFrame(width: number, height: number, seed: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  let s = seed * 2654435761 >>> 0 || 1;
  for (let k = 0; k < data.length; k++) {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    data[k] = s & 255;
  }
  return { width, height, data };
}

export function explanationFor(i: number, classIndex = i % LABELS.length): FrameExplanation {
  const score = 0.5 + 0.4 * Math.sin(i / 5);
  const top5 = LABELS.map((label, index) => ({ index, label, score: index === classIndex ? score : (1 - score) / 4 }))
    .sort((a, b) => b.score - a.score);
  return {
    index: i,
    ptsSeconds: i / 25,
    target: { index: classIndex, label: LABELS[classIndex]!, score },
    top5,
    members: {
      gradcam: { tauRaw: 0.6, tauSmoothed: 0.58 + 0.02 * Math.sin(i / 3), areaPercent: 12 },
      'gradcam++': { tauRaw: 0.55, tauSmoothed: 0.55, areaPercent: 14 },
      layercam: { tauRaw: 0.5, tauSmoothed: 0.52, areaPercent: 15 },
    },
    merged: [{ id: 'layercam', into: 'gradcam', reason: 'identical-map', maxDifference: 0 }],
    consensus: {
      tauRaw: 0.45, tauSmoothed: 0.4 + 0.1 * Math.sin(i / 9), areaPercent: 10 + (i % 5),
      bbox: { x0: 0.2, y0: 0.2, x1: 0.5, y1: 0.6 }, centroid: { x: 0.35, y: 0.4 },
    },
    sceneCut: false,
    dropped: 0,
    timings: { decode: 2.1, forward: 95.3, methods: 4.2, metacam: 1.1, overlay: 3.9, encode: 8.4 },
  };
}

export interface Recorder {
  readonly ws: WebSocket;
  readonly texts: unknown[];
  readonly binaries: Buffer[];
  /** Messages in arrival order: 't' text, 'b' binary. */
  readonly order: string[];
  readonly closed: Promise<{ code: number; reason: string }>;
  /** Resolves once `pred()` holds (checked on every message and on close); rejects after `ms`. */
  until(pred: () => boolean, what: string, ms?: number): Promise<void>;
  frames(): { json: Record<string, unknown>; jpeg: Buffer | undefined }[];
}

/** Opens a ws client that records everything, and waits for the server's hello. */
export async function openRecorder(url: string, options: WebSocket.ClientOptions & { protocols?: string[] } = {}): Promise<Recorder> {
  const { protocols, ...rest } = options;
  const ws = new WebSocket(url, protocols ?? [], rest);
  const texts: unknown[] = [];
  const binaries: Buffer[] = [];
  const order: string[] = [];
  const waiters = new Set<() => void>();
  const poke = () => { for (const w of [...waiters]) w(); };
  ws.on('message', (data, isBinary) => {
    if (isBinary) { binaries.push(data as Buffer); order.push('b'); }
    else { texts.push(JSON.parse((data as Buffer).toString('utf8'))); order.push('t'); }
    poke();
  });
  ws.on('error', () => {});
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.on('close', (code, reason) => { resolve({ code, reason: reason.toString() }); poke(); });
  });
  const until = (pred: () => boolean, what: string, ms = 10_000) =>
    new Promise<void>((resolve, reject) => {
      if (pred()) return resolve();
      const timer = setTimeout(() => { waiters.delete(check); reject(new Error(`timed out waiting for ${what}`)); }, ms);
      const check = () => { if (pred()) { clearTimeout(timer); waiters.delete(check); resolve(); } };
      waiters.add(check);
    });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_req, res) => reject(new Error(`unexpected response ${res.statusCode}`)));
    ws.once('error', reject);
  });
  const rec: Recorder = {
    ws, texts, binaries, order, closed, until,
    frames() {
      // Pair each frame JSON with the binary message that follows it.
      const out: { json: Record<string, unknown>; jpeg: Buffer | undefined }[] = [];
      let ti = 0, bi = 0;
      for (let k = 0; k < order.length; k++) {
        if (order[k] === 't') {
          const json = texts[ti++] as Record<string, unknown>;
          if (json.type === 'frame') out.push({ json, jpeg: order[k + 1] === 'b' ? binaries[bi] : undefined });
        } else bi++;
      }
      return out;
    },
  };
  await rec.until(() => texts.some((t) => (t as { type: string }).type === 'hello'), 'hello');
  return rec;
}

/** Status code (and body) of an upgrade the server refuses; throws if it is accepted. */
export function refusedUpgrade(url: string, options: WebSocket.ClientOptions & { protocols?: string[] } = {}): Promise<{ status: number; body: string }> {
  const { protocols, ...rest } = options;
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, protocols ?? [], rest);
    ws.on('open', () => { ws.terminate(); reject(new Error('upgrade was accepted')); });
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (d: Buffer) => { body += d.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    ws.on('error', (e) => { if (!/Unexpected server response/.test(e.message)) reject(e); });
  });
}

/** A raw GET with the path sent exactly as given (no client-side normalisation). */
export function rawGet(port: number, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', headers }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => { body += d.toString('latin1'); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Resolves when `pred()` holds, checking on every tick of the event loop; rejects after `ms`. */
export function waitUntil(pred: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const check = () => {
      if (pred()) return resolve();
      if (Date.now() > deadline) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(check, 5);
    };
    check();
  });
}
