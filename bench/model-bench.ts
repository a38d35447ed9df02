/**
 * Every figure of one model, on one backend, in one process, so the ratios compare like with like:
 *   forward (what the engine runs: preprocess + optimised body + head + read-back), the optimised and the
 *   unoptimised whole-model forward, each CAM method alone, MetaCAM realtime and full, explain-only on
 *   pre-decoded 720p frames, and the real `explainVideo` on the 720p clip.
 * Figures whose ratios matter are timed round-robin (A, B, A, B, …) so a change in the shared machine's load hits
 * both sides alike; they run first, the slow per-channel and full-backprop methods last, with what the budget leaves.
 */
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { lastValueFrom, toArray } from 'rxjs';
import { parseExplainArgs } from '../src/cli/args.js';
import { createExplainer, type Explainer } from '../src/explain/engine/explainer.js';
import { optimizeForInference } from '../src/explain/model/optimize-inference.js';
import { preprocessFrames } from '../src/explain/model/preprocess.js';
import { METHODS, getMethod } from '../src/explain/methods/index.js';
import type { CamMethod } from '../src/explain/methods/types.js';
import { decodeFrames } from '../src/ingest/decode-frames.js';
import type { Frame } from '../src/core/frame.js';
import { createMetaCam } from '../src/metacam/create-metacam.js';
import { renderOverlay, resolveOverlayOptions } from '../src/overlay/index.js';
import { defaultFirstBatch, explainVideo } from '../src/pipeline/explain-video.js';
import { chooseMembers, openSession, type Session } from '../src/pipeline/session.js';
import type { BackendChoice } from '../src/explain/backend/backend.js';
import { isMetacamError } from '../src/errors.js';
import { MetacamError } from '../src/errors.js';
import { isLayersLoadedModel } from '../src/explain/model/loaded-model.js';
import { benchIo, pipelineModels } from './io-bench.js';
import { peakRssMiB } from './machine.js';
import type { Budget } from './budget.js';
import { fps, median, ratio, round, timeRoundRobin, timeRuns, type Timed, type TimingPlan } from './timing.js';


/** Bench rows for the smoothing options (--aug-smooth: 6 passes; --eigen-smooth: a small SVD per map), on Grad-CAM. */
export const SMOOTHING_ROWS: readonly { readonly id: string; readonly how: { augSmooth?: boolean; eigenSmooth?: boolean } }[] = [
  { id: 'gradcam+aug-smooth', how: { augSmooth: true } },
  { id: 'gradcam+eigen-smooth', how: { eigenSmooth: true } },
];
export const BATCH = 8;

export interface BenchSettings {
  readonly quick: boolean;
  readonly backend: BackendChoice;
  readonly clip: string;
  readonly clipFrames: number;
  /** Niceness of the end-to-end run's decoding and encoding ffmpeg (explainVideo's ffmpegNiceness). */
  readonly ffmpegNiceness?: number;
  readonly workDir: string;
  /** Channel budgets measured for Score-CAM / Ablation-CAM (the last one is the one `methods` reports). */
  readonly channelBudgets: readonly number[];
  /** Channel budget of the MetaCAM full preset figure. */
  readonly fullPresetMaxChannels: number;
  /** Seconds this model may use; heavy figures are skipped (with a note) when they would overrun it. */
  readonly modelSeconds: number;
  readonly log: (line: string) => void;
}

export interface FigureTiming {
  readonly frames: number;
  readonly medianMs: number;
  readonly warmup: number;
  readonly reps: number;
  readonly samplesMs: readonly number[];
}

export interface ModelBench {
  readonly model: string;
  readonly inputSize: { width: number; height: number };
  readonly layer: string;
  readonly activationShape: readonly number[];
  readonly batch: number;
  forwardFps?: number;
  optimizedForwardFps?: number;
  unoptimizedForwardFps?: number;
  optimizedMaxAbsDiff?: number;
  optimizer?: { foldedBatchNorms: number; fusedActivations: number; foldedPaddings: number };
  methods: Record<string, number>;
  methodsByChannelBudget: Record<string, Record<string, number>>;
  methodOverForward: Record<string, number | null>;
  metacamRealtimeFps?: number;
  metacamRealtimeMembers: string[];
  metacamFullFps?: number;
  metacamFullMembers: string[];
  metacamFullMaxChannels: number;
  explainOnlyFps?: number;
  endToEndFps?: number;
  endToEndFrames?: number;
  /** Medians over the timed end-to-end runs: start-up latency, the steady rate after the first batch, the tail. */
  endToEndBreakdown?: { untilFirstFrameMs: number; tailMs: number; steadyFps: number; steadyOverExplainOnly: number | null };
  /** Decode-only and encode-only fps on the clip, with the serial / overlapped end-to-end models. */
  io?: { decodeFps: number; encodeFps: number; reps: number; serialFps?: number; overlappedFps?: number };
  /** RSS (MiB) after each phase: the wasm heap grows to the largest batch of activations and never shrinks. */
  rssMiBAfterPhase: Record<string, number>;
  /** Mean milliseconds per frame per stage (FrameExplanation.timings), explain-only vs end-to-end. */
  stageMsPerFrame: Record<string, Record<string, number>>;
  ratios: {
    metacamRealtimeOverForward: number | null;
    endToEndOverExplainOnly: number | null;
    optimizedOverUnoptimized: number | null;
  };
  peakRssMiB: number;
  tensorsBefore: number;
  tensorsAfter: number;
  timings: Record<string, FigureTiming>;
  phaseSeconds: Record<string, number>;
  notes: string[];
}

function plan(quick: boolean, kind: 'rounds' | 'pipeline' | 'io' | 'heavy'): TimingPlan {
  // rounds/pipeline: counts are rounds of a round-robin over several figures; maxMs bounds the whole set.
  if (kind === 'rounds') return quick ? { warmup: 1, minReps: 2, maxReps: 2, maxMs: 0 } : { warmup: 1, minReps: 3, maxReps: 7, maxMs: 90_000 };
  if (kind === 'pipeline') return quick ? { warmup: 0, minReps: 2, maxReps: 2, maxMs: 0 } : { warmup: 0, minReps: 3, maxReps: 5, maxMs: 90_000 };
  if (kind === 'io') return quick ? { warmup: 0, minReps: 1, maxReps: 1, maxMs: 0 } : { warmup: 0, minReps: 2, maxReps: 3, maxMs: 8_000 };
  return quick ? { warmup: 0, minReps: 1, maxReps: 1, maxMs: 0 } : { warmup: 1, minReps: 1, maxReps: 3, maxMs: 40_000 };
}

function record(frames: number, t: Timed): FigureTiming {
  return { frames, medianMs: round(t.medianMs, 1), warmup: t.warmup, reps: t.reps, samplesMs: t.samplesMs };
}

function addStageTimings(sum: Record<string, number>, timings: Readonly<Record<string, number>>): void {
  for (const [k, v] of Object.entries(timings)) sum[k] = (sum[k] ?? 0) + v;
}

function meanStages(sum: Record<string, number>, count: number): Record<string, number> {
  return Object.fromEntries(Object.entries(sum).map(([k, v]) => [k, round(v / Math.max(1, count), 2)]));
}

async function predecode(clip: string, size: { width: number; height: number }): Promise<Frame[]> {
  return lastValueFrom(decodeFrames(clip, { width: size.width, height: size.height }).pipe(toArray()));
}

export async function benchModel(name: string, s: BenchSettings, budget: Budget): Promise<ModelBench> {
  const tensorsBefore = tf.memory().numTensors;
  const deadline = budget.elapsedSeconds() + s.modelSeconds;
  const left = (): number => deadline - budget.elapsedSeconds();
  const out = join(s.workDir, `${name}-explained.mp4`);
  const options = parseExplainArgs([s.clip, '-o', out, '--model', name, '--backend', s.backend, '--batch', String(BATCH)]);
  const session: Session = await openSession(options);
  const explainers: Explainer[] = [];
  const phaseSeconds: Record<string, number> = {};
  const phase = async <T>(key: string, fn: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    s.log(`  ${name}: ${key}…`);
    try {
      return await budget.phase(`${name}:${key}`, fn);
    } finally {
      phaseSeconds[key] = round((performance.now() - t0) / 1000, 1);
      result.rssMiBAfterPhase[key] = Math.round(process.memoryUsage().rss / 2 ** 20);
    }
  };
  const loaded = session.engine!.model;
  if (!isLayersLoadedModel(loaded)) throw new MetacamError('E_ARG', `model-bench measures tfjs LayersModels (its optimiser figures); '${loaded.id}' is ${loaded.format} — see bench/onnx-bench.ts`);
  const realtime = chooseMembers({ preset: 'realtime' });
  // What `--preset full` fuses: every method but the opt-in ones (newer methods, the Random-CAM baseline).
  const full = METHODS.filter((m) => !m.optIn);
  const result: ModelBench = {
    model: name,
    inputSize: { ...loaded.inputSize },
    layer: session.explainer.layer,
    activationShape: [...session.explainer.activationShape],
    batch: BATCH,
    methods: {},
    methodsByChannelBudget: {},
    methodOverForward: {},
    metacamRealtimeMembers: realtime.map((m) => m.id),
    metacamFullMembers: full.map((m) => m.id),
    metacamFullMaxChannels: s.fullPresetMaxChannels,
    stageMsPerFrame: {},
    rssMiBAfterPhase: {},
    ratios: { metacamRealtimeOverForward: null, endToEndOverExplainOnly: null, optimizedOverUnoptimized: null },
    peakRssMiB: 0,
    tensorsBefore,
    tensorsAfter: Number.NaN,
    timings: {},
    phaseSeconds,
    notes: [],
  };
  const explainerFor = (methods: readonly CamMethod[], maxChannels = 64, smoothing: { augSmooth?: boolean; eigenSmooth?: boolean } = {}): Explainer => {
    const e = createExplainer({
      model: loaded, layer: options.layer, methods, classMode: session.classMode, batchSize: BATCH,
      camOptions: { maxChannels, passBatch: 64 }, ...smoothing,
    });
    explainers.push(e);
    return e;
  };
  const release = (e: Explainer): void => {
    e.dispose();
    explainers.splice(explainers.indexOf(e), 1);
  };

  try {
    const frames = await phase('decode', () => predecode(s.clip, loaded.inputSize));
    const batch = frames.slice(0, BATCH);
    if (batch.length < BATCH) throw new Error(`the clip has ${frames.length} frames; the bench needs at least ${BATCH}`);

    // 1. Model figures, round-robin so load changes hit them alike: the engine's forward (an explainer with no
    //    method), the optimised and unoptimised whole model, MetaCAM realtime (its members share the forward and
    //    the head gradient; MetaCAM per frame), and each cheap method alone (its fps includes its forward).
    const cheap = METHODS.filter((m) => !m.perChannelPasses && !m.fullBackprop);
    await phase('forward+methods', async () => {
      const input = preprocessFrames(batch.map((f) => f.input), loaded.inputSize, loaded.preprocess);
      const optimized = optimizeForInference(loaded.model);
      try {
        result.optimizer = { foldedBatchNorms: optimized.foldedBatchNorms, fusedActivations: optimized.fusedActivations, foldedPaddings: optimized.foldedPaddings };
        const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(optimized.predict(input), loaded.model.predict(input) as tf.Tensor2D))));
        result.optimizedMaxAbsDiff = (await diff.data())[0];
        diff.dispose();
        const runAndRead = async (f: () => tf.Tensor): Promise<void> => {
          const y = f();
          await y.data();
          y.dispose();
        };
        const engine = explainerFor([]);
        const rt = explainerFor(realtime);
        const metacam = createMetaCam({ members: realtime.map((m) => m.id), topK: options.topK, smoothSeconds: options.smoothSeconds });
        const entries: [string, () => unknown][] = [
          ['forward', () => engine.explainBatch(batch)],
          ['metacamRealtime', async () => {
            const maps = await rt.explainBatch(batch);
            for (let i = 0; i < batch.length; i++) metacam.explain(batch[i], maps[i], loaded.labels);
          }],
          ['optimizedForward', () => runAndRead(() => optimized.predict(input))],
          ['unoptimizedForward', () => runAndRead(() => loaded.model.predict(input) as tf.Tensor)],
          ...cheap.map((m): [string, () => unknown] => {
            const e = explainerFor([m]);
            return [`method:${m.id}`, () => e.explainBatch(batch)];
          }),
          // What the smoothing options cost, on Grad-CAM (rows 'gradcam+aug-smooth', 'gradcam+eigen-smooth').
          ...SMOOTHING_ROWS.map(({ id, how }): [string, () => unknown] => {
            const e = explainerFor([getMethod('gradcam')], 64, how);
            return [`method:${id}`, () => e.explainBatch(batch)];
          }),
        ];
        const t = await timeRoundRobin(entries, plan(s.quick, 'rounds'));
        for (const [k, v] of Object.entries(t)) result.timings[k] = record(BATCH, v);
        result.forwardFps = fps(BATCH, t.forward.medianMs);
        result.metacamRealtimeFps = fps(BATCH, t.metacamRealtime.medianMs);
        result.optimizedForwardFps = fps(BATCH, t.optimizedForward.medianMs);
        result.unoptimizedForwardFps = fps(BATCH, t.unoptimizedForward.medianMs);
        for (const m of cheap) result.methods[m.id] = fps(BATCH, t[`method:${m.id}`].medianMs);
        for (const { id } of SMOOTHING_ROWS) result.methods[id] = fps(BATCH, t[`method:${id}`].medianMs);
      } finally {
        for (const e of [...explainers]) release(e);
        optimized.dispose();
        input.dispose();
      }
    });

    // 2. Explain-only (pre-decoded 720p frames through the session's explainer — what explainVideo runs —,
    //    MetaCAM and the overlay; no ffmpeg) and end to end (the real explainVideo on the 720p clip: decode +
    //    explain + MetaCAM + overlay + encode), alternating, with per-stage timings from FrameExplanation.timings.
    const overlayOptions = resolveOverlayOptions({ titles: Object.fromEntries(session.members.map((m) => [m.id, m.title])) });
    await phase('explain-only+end-to-end', async () => {
      const onlyStages: Record<string, number> = {};
      let onlyCounted = 0;
      const pass = async (list: readonly Frame[], collect: boolean): Promise<void> => {
        const metacam = createMetaCam({
          members: session.members.map((m) => m.id), topK: options.topK, binary: options.binary,
          smoothSeconds: options.smoothSeconds, smoothMaps: options.smoothMaps, sceneCutThreshold: options.sceneCutThreshold,
        });
        // The overlay is drawn into one reused buffer, as the end-to-end run (recycleBuffers) draws into pooled
        // ones: both sides of the ratio do the same overlay work.
        let into: Uint8Array | undefined;
        for (let i = 0; i < list.length; i += BATCH) {
          const chunk = list.slice(i, i + BATCH);
          const maps = await session.explainer.explainBatch(chunk);
          for (let j = 0; j < chunk.length; j++) {
            const { explanation, maps: emaps } = metacam.explain(chunk[j], maps[j], loaded.labels);
            const t0 = performance.now();
            into = renderOverlay(chunk[j].image, explanation, emaps, overlayOptions, into).data;
            if (collect) {
              addStageTimings(onlyStages, { ...explanation.timings, overlay: performance.now() - t0 });
              onlyCounted++;
            }
          }
        }
      };
      // End to end runs the way `metacam explain` does: inference in a worker thread (a worker session, whose
      // model is loaded in the worker only), so this thread keeps ffmpeg's pipes flowing while a batch is computed.
      const workerSession = await openSession(options, { worker: true });
      const worker = workerSession.explainer;
      const e2eStages: Record<string, number> = {};
      let e2eCounted = 0;
      let collect = false;
      // Where the wall time of a run goes: until the first frame leaves the explain stage, the steady part, and
      // the tail after the last frame (encoder flush, mux, exit).
      const firstMs: number[] = [];
      const tailMs: number[] = [];
      const steadyFps: number[] = [];
      const run = async (maxFrames?: number): Promise<void> => {
        const t0 = performance.now();
        let first = 0;
        let firstBatchDone = 0;
        const firstBatch = defaultFirstBatch(BATCH);
        let last = 0;
        let n = 0;
        const r = await explainVideo(session, {
          input: s.clip, output: out, overlay: overlayOptions, topK: options.topK, binary: options.binary,
          smoothSeconds: options.smoothSeconds, smoothMaps: options.smoothMaps, sceneCutThreshold: options.sceneCutThreshold,
          maxFrames,
          explainer: worker,
          recycleBuffers: true,
          ...(s.ffmpegNiceness !== undefined ? { ffmpegNiceness: s.ffmpegNiceness } : {}),
          onFrame: (item) => {
            last = performance.now();
            if (n === 0) first = last;
            if (n === firstBatch - 1) firstBatchDone = last;
            n++;
            if (!collect) return;
            addStageTimings(e2eStages, item.explanation.timings);
            e2eCounted++;
          },
        });
        if (maxFrames === undefined && r.frames !== frames.length) throw new Error(`explainVideo wrote ${r.frames} frames, expected ${frames.length}`);
        if (collect && n > firstBatch + BATCH) {
          firstMs.push(first - t0);
          tailMs.push(performance.now() - last);
          // Frames after the first batch (explainVideo's first batch is defaultFirstBatch(BATCH) frames), over the time
          // from the first batch's last frame leaving to the last frame leaving.
          steadyFps.push(((n - firstBatch) * 1000) / (last - firstBatchDone));
        }
      };
      let t: Awaited<ReturnType<typeof timeRoundRobin>>;
      try {
        // Warm-up: one batch each (ffmpeg both ways for the end-to-end run).
        await pass(batch, false);
        await run(BATCH);
        collect = true;
        t = await timeRoundRobin([['explainOnly', () => pass(frames, true)], ['endToEnd', () => run()]], plan(s.quick, 'pipeline'));
      } finally {
        workerSession.dispose();
      }
      result.explainOnlyFps = fps(frames.length, t.explainOnly.medianMs);
      result.endToEndFps = fps(frames.length, t.endToEnd.medianMs);
      result.endToEndFrames = frames.length;
      result.timings.explainOnly = record(frames.length, t.explainOnly);
      result.timings.endToEnd = record(frames.length, t.endToEnd);
      result.stageMsPerFrame.explainOnly = meanStages(onlyStages, onlyCounted);
      result.stageMsPerFrame.endToEnd = meanStages(e2eStages, e2eCounted);
      result.endToEndBreakdown = {
        untilFirstFrameMs: round(median(firstMs), 0),
        tailMs: round(median(tailMs), 0),
        steadyFps: round(median(steadyFps), 3),
        steadyOverExplainOnly: ratio(median(steadyFps), result.explainOnlyFps),
      };
    });

    // 3. Video I/O alone on the same clip, and what it predicts for the end-to-end rate.
    await phase('io', async () => {
      const io = await benchIo(s.clip, frames, s.workDir, plan(s.quick, 'io'));
      result.io = { ...io, ...(result.explainOnlyFps ? pipelineModels(result.explainOnlyFps, io) : {}) };
    });

    // 4. Slow methods: per-channel (with a channel budget) and FullGrad (full backward to the input).
    const heavyFigure = async (key: string, methods: readonly CamMethod[], maxChannels: number, estimateMs: number, warm = false): Promise<number | undefined> => {
      // A second channel budget of the same method runs the same kernel shapes: the first one was its warm-up.
      const p = warm ? { ...plan(s.quick, 'heavy'), warmup: 0 } : plan(s.quick, 'heavy');
      const needed = (estimateMs * (p.warmup + p.minReps)) / 1000;
      if (needed > left()) {
        result.notes.push(`${key}: skipped, estimated ${Math.round(needed)} s > ${Math.max(0, Math.round(left()))} s left in this model's budget`);
        return undefined;
      }
      const e = explainerFor(methods, maxChannels);
      try {
        // Only as many repetitions as the model's remaining budget allows.
        const maxMs = Math.min(p.maxMs, Math.max(0, (left() - estimateMs / 1000) * 1000));
        const t = await timeRuns(() => e.explainBatch(batch), { ...p, maxMs });
        result.timings[key] = record(BATCH, t);
        return fps(BATCH, t.medianMs);
      } catch (err) {
        if (!isMetacamError(err)) throw err;
        result.notes.push(`${key}: not measured — ${err.code}: ${err.message}`);
        return undefined;
      } finally {
        release(e);
      }
    };
    const forwardMs = (BATCH * 1000) / (result.forwardFps ?? 1);
    await phase('fullgrad', async () => {
      const v = await heavyFigure('method:fullgrad', [getMethod('fullgrad')], 64, forwardMs * 6);
      if (v !== undefined) result.methods.fullgrad = v;
    });
    let scoreMsPerChannel = forwardMs; // a masked pass costs about one forward
    for (const id of ['ablationcam', 'scorecam']) {
      await phase(id, async () => {
        for (const [ci, c] of s.channelBudgets.entries()) {
          const k = Math.min(c, result.activationShape[2]);
          const estimate = id === 'scorecam' ? forwardMs + k * scoreMsPerChannel : forwardMs * 2;
          const v = await heavyFigure(`method:${id}@${c}`, [getMethod(id)], c, estimate, ci > 0 && result.methodsByChannelBudget[id] !== undefined);
          if (v === undefined) continue;
          (result.methodsByChannelBudget[id] ??= {})[String(c)] = v;
          result.methods[id] = v; // the largest budget measured
          if (id === 'scorecam') scoreMsPerChannel = Math.max(forwardMs / 4, ((BATCH * 1000) / v - forwardMs) / k);
        }
      });
    }
    await phase('metacam-full', async () => {
      const c = s.fullPresetMaxChannels;
      const estimate = forwardMs * 7 + Math.min(c, result.activationShape[2]) * scoreMsPerChannel;
      // Every member already ran alone on the same shapes: those runs are this figure's warm-up.
      const p = { ...plan(s.quick, 'heavy'), warmup: 0 };
      if ((estimate * (p.warmup + p.minReps)) / 1000 > left()) {
        result.notes.push(`metacam-full: skipped, estimated ${Math.round((estimate * (p.warmup + p.minReps)) / 1000)} s > ${Math.max(0, Math.round(left()))} s left`);
        return;
      }
      const e = explainerFor(full, c);
      const metacam = createMetaCam({ members: full.map((m) => m.id), topK: options.topK, smoothSeconds: options.smoothSeconds });
      try {
        const maxMs = Math.min(p.maxMs, Math.max(0, (left() - estimate / 1000) * 1000));
        const t = await timeRuns(async () => {
          const maps = await e.explainBatch(batch);
          for (let i = 0; i < batch.length; i++) metacam.explain(batch[i], maps[i], loaded.labels);
        }, { ...p, maxMs });
        result.metacamFullFps = fps(BATCH, t.medianMs);
        result.timings.metacamFull = record(BATCH, t);
      } catch (err) {
        if (!isMetacamError(err)) throw err;
        result.notes.push(`metacam-full: not measured — ${err.code}: ${err.message}`);
      } finally {
        release(e);
      }
    });

    for (const [id, v] of Object.entries(result.methods)) result.methodOverForward[id] = ratio(v, result.forwardFps);
    result.ratios = {
      metacamRealtimeOverForward: ratio(result.metacamRealtimeFps, result.forwardFps),
      endToEndOverExplainOnly: ratio(result.endToEndFps, result.explainOnlyFps),
      optimizedOverUnoptimized: ratio(result.optimizedForwardFps, result.unoptimizedForwardFps),
    };
  } finally {
    for (const e of [...explainers]) e.dispose();
    session.dispose();
    result.peakRssMiB = peakRssMiB();
    result.tensorsAfter = tf.memory().numTensors;
  }
  return result;
}
