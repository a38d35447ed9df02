/**
 * Self time of a V8 .cpuprofile, by function and by bucket (wasm kernels, GC, idle/program, our source folders,
 * node_modules packages), so docs/performance.md can cite where each scenario's time goes.
 *   node --import tsx bench/summarize-profile.ts <file.cpuprofile> [top=25]
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const [file, topArg = '25'] = process.argv.slice(2);
if (!file) throw new Error('usage: summarize-profile.ts <file.cpuprofile> [top]');
const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const selfUs = new Map<number, number>();
for (let i = 0; i < p.samples.length; i++) selfUs.set(p.samples[i], (selfUs.get(p.samples[i]) ?? 0) + (p.timeDeltas[i + 1] ?? 0));
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);

function bucket(n: ProfileNode): string {
  const { functionName: f, url } = n.callFrame;
  if (f === '(garbage collector)') return 'GC';
  if (f === '(idle)') return 'idle (waiting: I/O, ffmpeg)';
  if (f === '(program)') return 'program (native, unattributed)';
  if (url.includes('.wasm') || f.startsWith('wasm-function') || url.startsWith('wasm://')) return 'wasm kernels';
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return `js: ${m[1]}`;
  const s = /\/(src|bench|test)\/([^/]+)/.exec(url);
  if (s) return `js: ${s[1]}/${s[2]}`;
  if (url.startsWith('node:') || !url) return 'node internals';
  return 'js: other';
}

const buckets = new Map<string, number>();
const fns = new Map<string, number>();
for (const [id, us] of selfUs) {
  const n = byId.get(id)!;
  const b = bucket(n);
  buckets.set(b, (buckets.get(b) ?? 0) + us);
  const short = n.callFrame.url.replace(/^.*\/(node_modules|src|bench)\//, '$1/');
  const key = `${n.callFrame.functionName || '(anonymous)'}  ${short}${n.callFrame.url ? `:${n.callFrame.lineNumber + 1}` : ''}`;
  fns.set(key, (fns.get(key) ?? 0) + us);
}
const pct = (us: number): string => `${((100 * us) / total).toFixed(1).padStart(5)} %  ${(us / 1000).toFixed(0).padStart(6)} ms`;
process.stdout.write(`${file}: ${(total / 1e6).toFixed(2)} s sampled\n\nby bucket:\n`);
for (const [b, us] of [...buckets].sort((a, b) => b[1] - a[1])) process.stdout.write(`  ${pct(us)}  ${b}\n`);
process.stdout.write(`\ntop ${topArg} functions (self time):\n`);
for (const [f, us] of [...fns].sort((a, b) => b[1] - a[1]).slice(0, Number(topArg))) process.stdout.write(`  ${pct(us)}  ${f}\n`);
