/**
 * Lag of the MetaCAM region behind a moving object, in frames (issue 15). Reads audit logs of `metacam explain`
 * runs of one clip with different smoothing; the first is the reference (all smoothing off). For each other log,
 * the lag is the shift L ∈ [0, 15] frames (steps of 0.1, the reference track linearly interpolated) that
 * minimises the mean distance between the region's centroid at frame t and the reference centroid at t − L,
 * over the frames t ≥ 15 where both regions are non-empty. For an exponential moving average with time constant
 * T at f fps the expected delay is T·f frames (its impulse response's mean). Usage:
 *   node --import tsx bench/smoothing-lag.ts <label>=<audit.jsonl> (reference) <label>=<audit.jsonl> …
 */
import { readFileSync } from 'node:fs';

type Track = Map<number, { x: number; y: number }>;
const MAX_SHIFT = 15;

function track(path: string): Track {
  const out: Track = new Map();
  for (const line of readFileSync(path, 'utf8').trim().split('\n')) {
    const r = JSON.parse(line) as { type: string; index: number; consensus?: { centroid: { x: number; y: number } | null } };
    if (r.type === 'frame' && r.consensus?.centroid) out.set(r.index, r.consensus.centroid);
  }
  return out;
}

function at(t: Track, i: number): { x: number; y: number } | undefined {
  const a = t.get(Math.floor(i));
  const b = t.get(Math.ceil(i));
  if (!a || !b) return undefined;
  const f = i - Math.floor(i);
  return { x: a.x + f * (b.x - a.x), y: a.y + f * (b.y - a.y) };
}

function meanDistance(run: Track, ref: Track, shift: number): number {
  let sum = 0;
  let n = 0;
  for (const [i, c] of run) {
    const g = i >= MAX_SHIFT ? at(ref, i - shift) : undefined;
    if (!g) continue;
    sum += Math.hypot(c.x - g.x, c.y - g.y);
    n++;
  }
  return sum / n;
}

const args = process.argv.slice(2).map((a) => a.split('=') as [string, string]);
if (args.length < 2) {
  console.error('usage: smoothing-lag.ts <label>=<reference audit.jsonl> <label>=<audit.jsonl> …');
  process.exit(2);
}
const [[refLabel, refPath], ...runs] = args;
const ref = track(refPath!);
for (const [label, path] of runs) {
  const run = track(path);
  let best = 0;
  for (let s = 1; s <= MAX_SHIFT * 10; s++) if (meanDistance(run, ref, s / 10) < meanDistance(run, ref, best)) best = s / 10;
  console.log(`${label} vs ${refLabel}: lag ${best.toFixed(1)} frames (mean centroid distance ${meanDistance(run, ref, 0).toFixed(4)} unshifted, ${meanDistance(run, ref, best).toFixed(4)} at the lag; normalised units)`);
}
