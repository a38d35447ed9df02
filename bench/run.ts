/**
 * `npm run bench [-- --json bench.json] [-- --quick]`: how fast metacam explains video here, as medians of
 * repeated runs after a warm-up, with the ratios the performance issue sets targets for computed in the same run
 * (absolute fps move with the machine's load; ratios within one run do not, much).
 *
 * Generates a 720p clip with ffmpeg lavfi (testsrc2 + a sine tone, 25 fps) in a temp dir, then for each bundled
 * model (shapes when trained, mobilenet-v2) measures the figures in bench/model-bench.ts. Prints a table and
 * writes JSON (default bench/last-run.json). Whole run ≤ 10 minutes on 2 cores; --quick ≈ 2 minutes.
 *
 * Flags: --json PATH, --quick, --models a,b, --backend auto|wasm|cpu|tensorflow, --seconds N (total budget),
 * --frames N (clip length; default 250 = 10 s, 24 with --quick), --ffmpeg-niceness N (the end-to-end run's ffmpeg priority; default explainVideo's 10),
 * --skip-queue (leave out the queue row, bench/queue-bench.ts: a 20 s clip local vs --queue with 1 and 2
 * workers on a redis-server of its own, outside the budget above; skipped with a notice without redis-server).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { MetacamError } from '../src/errors.js';
import type { BackendChoice } from '../src/explain/backend/backend.js';
import { selectBackend } from '../src/explain/backend/backend.js';
import { METHODS } from '../src/explain/methods/index.js';
import { listBundledModels } from '../src/explain/model/model-registry.js';
import { resolveFfmpeg } from '../src/ingest/ffmpeg-path.js';
import { makeTestClip } from '../src/ingest/make-test-clip.js';
import { Budget } from './budget.js';
import { formatTable, TARGETS } from './format-table.js';
import { freshBufferProbe, machineFacts } from './machine.js';
import { benchModel, SMOOTHING_ROWS, type ModelBench } from './model-bench.js';
import { benchOnnx, formatOnnxRow, type OnnxBench } from './onnx-bench.js';
import { benchQueue, formatQueueRow, type QueueBenchOutcome } from './queue-bench.js';
import { DEFAULT_FFMPEG_NICENESS } from '../src/pipeline/explain-video.js';

const CLIP = { width: 1280, height: 720, fps: 25 } as const;

interface RunArgs {
  readonly json: string;
  readonly quick: boolean;
  readonly models: readonly string[];
  readonly backend: BackendChoice;
  readonly seconds: number;
  readonly frames: number;
  /** Niceness of the end-to-end run's ffmpeg children (explainVideo's default when absent). */
  readonly ffmpegNiceness: number;
  /** Leave out the queue row (bench/queue-bench.ts: 20 s clip local vs --queue with 1 and 2 workers). */
  readonly skipQueue: boolean;
}

function parse(argv: readonly string[]): RunArgs {
  let v;
  try {
    ({ values: v } = parseArgs({
      args: [...argv],
      options: {
        json: { type: 'string' },
        quick: { type: 'boolean' },
        models: { type: 'string' },
        backend: { type: 'string' },
        seconds: { type: 'string' },
        frames: { type: 'string' },
        'ffmpeg-niceness': { type: 'string' },
        'skip-queue': { type: 'boolean' },
      },
      strict: true,
    }));
  } catch (e) {
    throw new MetacamError('E_ARG', `${(e as Error).message}. Usage: npm run bench -- [--json out.json] [--quick] [--models shapes,mobilenet-v2] [--backend auto|wasm|cpu|tensorflow] [--seconds N] [--frames N] [--ffmpeg-niceness 0-19] [--skip-queue]`);
  }
  const quick = Boolean(v.quick);
  const num = (flag: string, raw: string | undefined, dflt: number, min: number): number => {
    if (raw === undefined) return dflt;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min) throw new MetacamError('E_ARG', `--${flag} must be an integer ≥ ${min}; got '${raw}'`);
    return n;
  };
  const backend = (v.backend ?? 'auto') as BackendChoice;
  if (!['auto', 'wasm', 'cpu', 'tensorflow'].includes(backend)) throw new MetacamError('E_ARG', `--backend must be one of auto, wasm, cpu, tensorflow; got '${backend}'`);
  return {
    json: resolve(v.json ?? join(dirname(new URL(import.meta.url).pathname), 'last-run.json')),
    quick,
    models: v.models ? v.models.split(',').map((m) => m.trim()).filter(Boolean) : ['shapes', 'mobilenet-v2'],
    backend,
    seconds: num('seconds', v.seconds, quick ? 120 : 570, 30),
    // Full run: a 10 s clip, so the end-to-end figure reflects a real video rather than mostly start-up and
    // tail (the table still shows both, and the steady rate); --quick keeps a 24-frame clip.
    frames: num('frames', v.frames, quick ? 24 : 250, 8),
    ffmpegNiceness: Math.min(19, num('ffmpeg-niceness', v['ffmpeg-niceness'], DEFAULT_FFMPEG_NICENESS, 0)),
    skipQueue: Boolean(v['skip-queue']),
  };
}

async function main(): Promise<void> {
  const args = parse(process.argv.slice(2));
  const budget = new Budget(args.seconds);
  const log = (line: string): void => {
    process.stderr.write(`[bench ${budget.elapsedSeconds().toFixed(0).padStart(3)} s] ${line}\n`);
  };
  const machine = { ...machineFacts(), fresh720pBuffer: freshBufferProbe() };
  const backend = await selectBackend(args.backend);
  const ffmpeg = await resolveFfmpeg();
  log(`backend ${backend.name} (${backend.package} ${backend.version}); ${machine.cores} cores, ${machine.cpuModel}; load ${machine.loadAverageAtStart.join(' ')}`);

  const available = new Map(listBundledModels().map((m) => [m.name, m]));
  const skipped: Record<string, string> = {};
  const names = args.models.filter((n) => {
    const info = available.get(n);
    if (!info) throw new MetacamError('E_ARG', `--models: unknown model '${n}'; bundled: ${[...available.keys()].join(', ')}`);
    if (!info.available) skipped[n] = info.reason ?? 'not available';
    return info.available;
  });
  for (const [n, why] of Object.entries(skipped)) log(`skipping ${n}: ${why}`);

  const workDir = await mkdtemp(join(os.tmpdir(), 'metacam-bench-'));
  const results: ModelBench[] = [];
  let onnx: OnnxBench | undefined;
  let queue: QueueBenchOutcome | undefined;
  try {
    const clip = join(workDir, 'clip-720p.mp4');
    await budget.phase('make-clip', () => makeTestClip({ path: clip, ...CLIP, frames: args.frames, audio: true, pattern: 'testsrc2' }));
    log(`clip ${CLIP.width}×${CLIP.height} @ ${CLIP.fps} fps, ${args.frames} frames, AAC audio`);
    for (const [i, name] of names.entries()) {
      const rest = names.length - i - 1;
      // The small shapes model gets a small share; the last model gets what is left (minus a margin).
      // (Its 720p I/O phases cost as much as MobileNetV2's; its model phases are nearly free.)
      // The ONNX row after the models needs ≈ 20 s (--quick) or ≈ 45 s.
      const onnxReserve = args.quick ? 20 : 45;
      const share = name === 'shapes' && rest > 0 ? Math.min(budget.remainingSeconds() * 0.3, args.quick ? 35 : 150) : (budget.remainingSeconds() - 10 - onnxReserve) / (rest + 1);
      log(`${name}: ${Math.round(share)} s budget`);
      const r = await benchModel(name, {
        quick: args.quick,
        backend: args.backend,
        clip,
        clipFrames: args.frames,
        ffmpegNiceness: args.ffmpegNiceness,
        workDir,
        channelBudgets: args.quick ? [16] : [16, 64],
        fullPresetMaxChannels: 16,
        modelSeconds: share,
        log,
      }, budget);
      results.push(r);
      log(`${name}: done (${Object.entries(r.phaseSeconds).map(([k, s]) => `${k} ${s}s`).join(', ')})`);
      for (const n of r.notes) log(`${name}: ${n}`);
    }
    log('onnx: the torchvision MobileNetV2 export (bench/onnx-bench.ts)…');
    onnx = await budget.phase('onnx', () => benchOnnx({ quick: args.quick, log }));
    // Outside the models' shares: its own fixed clip (20 s, 4 s with --quick) and runs, ≈ 4 min on 2 cores.
    if (!args.skipQueue) {
      log('queue: local vs --queue with 1 and 2 workers (bench/queue-bench.ts)…');
      queue = await budget.phase('queue', () => benchQueue({ quick: args.quick, log }));
      if ('skipped' in queue) log(queue.skipped);
    }
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }

  const report = {
    kind: 'metacam-bench',
    version: 1,
    date: new Date().toISOString(),
    quick: args.quick,
    backend: { name: backend.name, package: backend.package, version: backend.version, threads: backend.threads, skipped: backend.skipped },
    machine: { ...machine, loadAverageAtEnd: os.loadavg().map((l) => Math.round(l * 100) / 100) },
    ffmpeg: { source: ffmpeg.source, version: ffmpeg.version },
    clip: { ...CLIP, frames: args.frames, pattern: 'testsrc2', audio: 'aac 440 Hz', codec: 'libx264 veryfast crf 18' },
    method: {
      batch: 8,
      ffmpegNiceness: args.ffmpegNiceness,
      statistic: 'median of timed runs after warm-up; forward, optimised/unoptimised, MetaCAM realtime and the cheap methods are timed round-robin in one set, explain-only and end-to-end alternately in another, so load changes hit both sides of each ratio; see models.*.timings for reps, warm-ups and samples',
      channelBudgets: args.quick ? [16] : [16, 64],
      notes: [
        'forwardFps: the engine forward (preprocess + BN-folded fused body to the target layer + head + read-back), i.e. an explainer with no method',
        'optimizedForwardFps / unoptimizedForwardFps: whole model on a preprocessed batch, optimizeForInference().predict vs LayersModel.predict',
        'methods.<id>: one explainer with that method alone (includes its forward); scorecam/ablationcam at the largest channel budget measured (methodsByChannelBudget has all); fullgrad backpropagates through the whole network to the input',
        'metacamRealtimeFps: realtime preset members in one explainer + createMetaCam per frame; metacamFullFps: all 11 members with --max-channels metacamFullMaxChannels',
        'explainOnlyFps: the session explainer + MetaCAM + overlay on pre-decoded 720p frames (no ffmpeg); endToEndFps: explainVideo on the 720p clip (decode + explain + MetaCAM + overlay + encode)',
        'peakRssMiB: the process high-water mark after that model (cumulative over the run)',
      ],
    },
    budgetSeconds: args.seconds,
    totalSeconds: Math.round(budget.elapsedSeconds()),
    phaseSeconds: budget.phases,
    skippedModels: skipped,
    targets: Object.fromEntries(TARGETS.map((t) => [t.key, t.target])),
    models: Object.fromEntries(results.map((r) => [r.model, r])),
    onnx,
    queue,
  };
  mkdirSync(dirname(args.json), { recursive: true });
  writeFileSync(args.json, `${JSON.stringify(report, null, 2)}\n`);

  const out = process.stdout;
  out.write(`\nmetacam bench — ${backend.name} (${backend.package} ${backend.version}), ${machine.cores}× ${machine.cpuModel}, node ${machine.node}, load ${machine.loadAverageAtStart.join('/')} → ${report.machine.loadAverageAtEnd.join('/')}\n`);
  out.write(`clip ${CLIP.width}×${CLIP.height}@${CLIP.fps} ${args.frames} frames; medians after warm-up; ${report.totalSeconds} s in all${args.quick ? ' (--quick)' : ''}\n\n`);
  out.write(`${formatTable(results, [...METHODS.map((m) => m.id), ...SMOOTHING_ROWS.map((r) => r.id)])}\n`);
  if (onnx) out.write(`${formatOnnxRow(onnx)}\n`);
  if (queue) out.write(`\n${formatQueueRow(queue)}\n`);
  for (const [n, why] of Object.entries(skipped)) out.write(`\n${n}: skipped — ${why}`);
  for (const r of results) for (const n of r.notes) out.write(`\n${r.model}: ${n}`);
  out.write(`\n\nJSON: ${args.json}\n`);
}

main().catch((e: unknown) => {
  const code = e instanceof MetacamError ? e.exitCode : 1;
  process.stderr.write(`bench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(code);
});
