/**
 * Overlay stage alone on a 1280×720 frame (7×7 maps, a MetaCAM region over ≈ 40% of the frame), CPU ms per call
 * (process.cpuUsage, so other load on the machine matters less than for wall time), fresh output vs a reused one.
 *   node --import tsx bench/overlay-micro.ts [calls=60]
 */
import { camMap } from '../src/core/cam-map.js';
import type { ExplanationMaps, FrameExplanation } from '../src/core/frame-explanation.js';
import { renderOverlay, resolveOverlayOptions } from '../src/overlay/index.js';

const calls = Number(process.argv[2] ?? 60);
const W = 1280;
const H = 720;
const image = { width: W, height: H, data: new Uint8Array(W * H * 3) };
for (let i = 0; i < image.data.length; i++) image.data[i] = (i * 2654435761) >>> 24;
const consensus = camMap(7, 7, Float32Array.from({ length: 49 }, (_, i) => Math.sin(i * 0.7) * 0.5 + 0.5));
const metacam = camMap(7, 7, Float32Array.from(consensus.data, (v, i) => ((i % 7) >= 2 && (i % 7) <= 5 && i >= 7 && i < 42 ? v : 0)));
const maps: ExplanationMaps = { members: { gradcam: consensus }, consensus, metacam };
const explanation: FrameExplanation = {
  index: 0, ptsSeconds: 0, target: { index: 1, label: 'golden retriever', score: 0.87 }, top5: [], members: {}, merged: [],
  consensus: { tauRaw: 0.5, tauSmoothed: 0.5, areaPercent: 40, bbox: null, centroid: null }, sceneCut: false, dropped: 0, timings: {},
};

function measure(label: string, o: ReturnType<typeof resolveOverlayOptions>, reuse: boolean): void {
  const into = reuse ? new Uint8Array(W * H * 3) : undefined;
  for (let i = 0; i < 5; i++) renderOverlay(image, explanation, maps, o, into);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < calls; i++) renderOverlay(image, explanation, maps, o, into);
  const wall = (performance.now() - t0) / calls;
  const c = process.cpuUsage(c0);
  process.stdout.write(`${label.padEnd(28)} ${reuse ? 'reused' : 'fresh '} cpu ${((c.user + c.system) / 1000 / calls).toFixed(2)} ms (sys ${(c.system / 1000 / calls).toFixed(2)}), wall ${wall.toFixed(2)} ms\n`);
}

for (const reuse of [false, true]) {
  measure('show metacam (default)', resolveOverlayOptions({}), reuse);
  measure('show raw', resolveOverlayOptions({ show: 'raw' }), reuse);
}
