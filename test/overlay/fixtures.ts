/**
 * Synthetic but real-looking inputs for overlay tests: a gradient "scene" with a ball, Gaussian-blob CAM maps
 * around the ball, and a FrameExplanation to go with them.
 */
import { camMap, type CamMap } from '../../src/core/cam-map.js';
import type { RgbImage } from '../../src/core/frame.js';
import type { ExplanationMaps, FrameExplanation } from '../../src/core/frame-explanation.js';

/** Sky-to-ground gradient with a shaded orange ball centred at (cx, cy) (fractions of the frame). */
export function sceneFrame(width: number, height: number, cx = 0.62, cy = 0.45): RgbImage {
  const data = new Uint8Array(width * height * 3);
  const r0 = Math.min(width, height) * 0.18;
  for (let y = 0; y < height; y++) {
    const t = y / (height - 1);
    for (let x = 0; x < width; x++) {
      const p = (y * width + x) * 3;
      const s = x / (width - 1);
      if (t < 0.7) {
        data[p] = 60 + 80 * t + 20 * s;
        data[p + 1] = 110 + 90 * t;
        data[p + 2] = 200 + 40 * t;
      } else {
        data[p] = 70 + 40 * s;
        data[p + 1] = 120 - 30 * (t - 0.7);
        data[p + 2] = 50;
      }
      const dx = x - cx * width;
      const dy = y - cy * height;
      const d = Math.hypot(dx, dy);
      if (d < r0) {
        const shade = 0.55 + 0.45 * Math.max(0, 1 - Math.hypot(dx + r0 * 0.35, dy + r0 * 0.35) / (1.3 * r0));
        data[p] = 250 * shade;
        data[p + 1] = 140 * shade;
        data[p + 2] = 30 * shade;
      }
    }
  }
  return { width, height, data };
}

/** A w×h map with a Gaussian blob at (cx, cy) (fractions), σ as a fraction of the map width, min-max normalised. */
export function blobMap(w: number, h: number, cx: number, cy: number, sigma = 0.18, noise = 0, seed = 1): CamMap {
  let s = seed >>> 0;
  const rnd = (): number => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  const d = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const dx = (x + 0.5) / w - cx;
      const dy = (y + 0.5) / h - cy;
      d[y * w + x] = Math.exp(-(dx * dx + dy * dy) / (2 * sigma * sigma)) + noise * rnd();
    }
  }
  return normalise(camMap(w, h, d));
}

export function normalise(m: CamMap): CamMap {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of m.data) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const d = m.data.map((v) => (hi > lo ? (v - lo) / (hi - lo) : 0));
  return camMap(m.width, m.height, d);
}

/** Members → consensus (normalised sum) → MetaCAM (values kept where consensus ≥ tau). */
export function explanationMaps(members: Record<string, CamMap>, tau = 0.55): ExplanationMaps {
  const first = Object.values(members)[0]!;
  const sum = new Float32Array(first.width * first.height);
  for (const m of Object.values(members)) m.data.forEach((v, i) => (sum[i]! += v));
  const consensus = normalise(camMap(first.width, first.height, sum));
  const metacam = camMap(first.width, first.height, consensus.data.map((v) => (v >= tau ? v : 0)));
  return { members, consensus, metacam };
}

export function explanation(label = 'Neutral', score = 0.87): FrameExplanation {
  return {
    index: 0,
    ptsSeconds: 0,
    target: { index: 2, label, score },
    top5: [{ index: 2, label, score }],
    members: {},
    merged: [],
    consensus: { tauRaw: 0.55, tauSmoothed: 0.55, areaPercent: 12, bbox: null, centroid: null },
    sceneCut: false,
    dropped: 0,
    timings: { forward: 90 },
  };
}

export const TITLES: Record<string, string> = {
  gradcam: 'Grad-CAM',
  'gradcam++': 'Grad-CAM++',
  hirescam: 'HiResCAM',
  xgradcam: 'XGrad-CAM',
  layercam: 'LayerCAM',
  eigencam: 'Eigen-CAM',
};

/** Six plausible members: most agree on the ball, one fires elsewhere. */
export function sampleMembers(w = 7, h = 7): Record<string, CamMap> {
  return {
    gradcam: blobMap(w, h, 0.62, 0.45, 0.16, 0.05, 1),
    'gradcam++': blobMap(w, h, 0.6, 0.48, 0.2, 0.05, 2),
    hirescam: blobMap(w, h, 0.65, 0.42, 0.14, 0.1, 3),
    xgradcam: blobMap(w, h, 0.58, 0.45, 0.18, 0.05, 4),
    layercam: blobMap(w, h, 0.63, 0.5, 0.15, 0.08, 5),
    eigencam: blobMap(w, h, 0.2, 0.8, 0.15, 0.05, 6),
  };
}
