/**
 * `metacam evaluate`: explains every scored frame of a clip and scores each member and MetaCAM at every k.
 * With ground truth, a frame is scored when it has a target object and is explained for the target's class;
 * without, every frame is scored for the model's predicted class and the box metrics are left out.
 * Definitions (docs/metacam.md, "Evaluation metrics"):
 *   - maps: member i's raw map M̂_i and T_i = T_k(M̂_i); MetaCAM's raw map is normalise(Σ_i T_i) and its map at k
 *     is T_k of that, per frame, without temporal smoothing. `<metric>` is scored on the thresholded map,
 *     `<metric>Raw` on the raw one (members' raw scores do not depend on k);
 *   - pointing game on M̂_i (members) / the MetaCAM map; energy-in-box, IoU and flicker on the thresholded map;
 *   - perturbation metrics (--road: ROAD under --road-protocol, Average Drop / Increase in Confidence,
 *     deletion / insertion AUC) on `roadFrames` evenly spaced frames: every scored frame up to 40 by default;
 *   - sparseness (Gini) on every scored frame; flicker and temporal r over pairs of consecutive scored frames —
 *     a scene cut or a skipped frame starts a new segment; `flickerSmoothed` is the streaming MetaCAM's
 *     (the per-frame stage with --smooth seconds and scene-cut resets), i.e. what `metacam explain` draws;
 *   - `roadGain` = ROAD(thresholded) − ROAD(raw) per frame (the paper's comparison, with a paired interval);
 *   - every mean has a seeded 95 % bootstrap interval over its frames (pairs) beside it: `<metric>Ci`;
 *   - CRE (--cre) on `creFrames` evenly spaced frames: for every non-empty subset of the members' groups,
 *     MetaCAM at `creK` from that subset's members, scored by mean ROAD;
 *   - modelAccuracy (with ground truth): share of scored frames whose argmax is the target class.
 * The engine is explained per class (one explainer per target class, cached; one 'auto' explainer without
 * ground truth); frames stream through a credit flow so memory stays bounded on long clips; everything that
 * holds tensors is disposed in `finally`.
 */
import { bufferCount, concatMap, EMPTY, fromEvent, lastValueFrom, take, takeUntil, type Observable } from 'rxjs';
import type { CamMap } from '../core/cam-map.js';
import type { FrameMaps } from '../core/frame-maps.js';
import type { Explainer } from '../explain/engine/explainer.js';
import type { CamGroup } from '../explain/methods/types.js';
import { MetacamError } from '../errors.js';
import { decodeFrames } from '../ingest/decode-frames.js';
import { createFlow } from '../ingest/flow.js';
import type { Frame } from '../core/frame.js';
import { probeVideo } from '../ingest/probe-video.js';
import { adaptiveThreshold } from '../metacam/adaptive-threshold.js';
import { consensusMap, consensusWeights } from '../metacam/consensus.js';
import { distinctMembers, MergeTally } from '../metacam/distinct-members.js';
import { regionIoU } from '../metacam/flicker.js';
import { checkConsensusRule, checkConsensusWeights, DEFAULT_METACAM_SETTINGS } from '../metacam/metacam-settings.js';
import { CAM_GROUPS } from '../metacam/groups.js';
import type { Box } from '../core/frame-explanation.js';
import type { Session } from '../pipeline/session.js';
import { createFrameStage, fusedMembers, type FrameStage } from '../pipeline/frame-stage.js';
import { createBootstrap } from './bootstrap-ci.js';
import { createClassScorer } from './class-scorer.js';
import { cumulativeResidualEffect, nonEmptySubsets } from './cre.js';
import { energyInBox } from './energy-in-box.js';
import { METRICS, type MetricName, type MetricScores } from './evaluation-metrics.js';
import { readEvaluationTargets, type EvaluationTarget } from './evaluation-targets.js';
import { evenSubset } from './even-subset.js';
import { faithfulnessForMaps, type FaithfulnessScores } from './faithfulness-batch.js';
import { fromRgbImage } from './float-image.js';
import { FrameSamples } from './frame-samples.js';
import { pearsonR } from './pearson.js';
import { pixelBoxToNormalised } from './pixel-box.js';
import { pointingGame } from './pointing-game.js';
import { regionBoxIoU } from './region-box-iou.js';
import { roadForMaps } from './road-batch.js';
import type { ClassScorer } from './road.js';
import { giniSparseness } from './sparseness.js';
import { checkOptions, EVALUATION_DEFAULTS, METACAM_KEY, type CreReport, type CreSubsetScore, type EvaluationOptions, type EvaluationProgress, type EvaluationResult } from './evaluation-options.js';

export * from './evaluation-options.js';

interface Scored {
  readonly frame: Frame;
  readonly target?: EvaluationTarget;
  readonly maps: FrameMaps;
}

/** The groups present among the members, in the registry's group order. */
function memberGroups(session: Session): CamGroup[] {
  const present = new Set(session.members.map((m) => m.group));
  return CAM_GROUPS.filter((g) => present.has(g));
}

function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

const copyMap = (m: CamMap): CamMap => ({ width: m.width, height: m.height, data: Float32Array.from(m.data) });

export async function runEvaluation(
  session: Session,
  options: EvaluationOptions,
  onProgress?: (p: EvaluationProgress) => void,
): Promise<EvaluationResult> {
  const started = performance.now();
  checkOptions(options);
  const ks = [...options.topKs];
  const binary = options.binary ?? DEFAULT_METACAM_SETTINGS.binary;
  const smoothSeconds = options.smoothSeconds ?? EVALUATION_DEFAULTS.smoothSeconds;
  const smoothMaps = options.smoothMaps ?? EVALUATION_DEFAULTS.smoothMaps;
  const hysteresis = options.hysteresis ?? DEFAULT_METACAM_SETTINGS.hysteresis;
  const mapMotion = options.mapMotion ?? DEFAULT_METACAM_SETTINGS.mapMotion;
  const consensus = options.consensus ?? DEFAULT_METACAM_SETTINGS.consensus;
  checkConsensusRule(consensus);
  checkConsensusWeights(consensus, options.weights);
  const groupOf = Object.fromEntries(session.members.map((m) => [m.id, m.group]));
  const creK = options.creK ?? (ks.includes(10) ? 10 : ks[0]!);
  const protocol = options.roadProtocol ?? EVALUATION_DEFAULTS.roadProtocol;
  const memberIds = session.members.map((m) => m.id);
  // MetaCAM sums what `explain` sums: the fused members (no Random-CAM baseline), each distinct map once.
  const fusedIds = fusedMembers(session.members);
  const merges = new MergeTally();
  const groups = memberGroups(session);
  const roadOpts = { tolerance: options.roadTolerance, protocol };
  const ci = createBootstrap(options.bootstrap);

  const withGt = options.groundTruth !== undefined || options.targets !== undefined;
  const targets = withGt ? (options.targets ?? (await readEvaluationTargets(options.groundTruth!))) : [];
  const info = await probeVideo(options.input);
  const lastFrame = Math.min(info.frameCount, options.maxFrames ?? Infinity);
  const byFrame = new Map(targets.filter((t) => t.frame < lastFrame).map((t) => [t.frame, t]));
  if (withGt && byFrame.size === 0) {
    throw new MetacamError('E_INPUT_INVALID', `${options.groundTruth ?? 'the ground truth'} has no target for frames 0–${lastFrame - 1} of ${options.input}; is it the ground truth of this clip?`);
  }
  const scoredFrames = withGt ? [...byFrame.keys()].sort((a, b) => a - b) : Array.from({ length: lastFrame }, (_, i) => i);
  const isScored = (index: number): boolean => (withGt ? byFrame.has(index) : true);
  const roadSet = new Set(options.road ? evenSubset(scoredFrames, options.roadFrames ?? Math.min(scoredFrames.length, EVALUATION_DEFAULTS.roadFrames)) : []);
  const creSet = new Set(options.cre ? evenSubset(scoredFrames, options.creFrames ?? EVALUATION_DEFAULTS.creFrames) : []);
  const creSubsets = options.cre ? nonEmptySubsets(groups) : [];
  const creMembers = creSubsets.map((subset) => session.members.filter((m) => subset.includes(m.group)).map((m) => m.id));
  const creSums = new Float64Array(creSubsets.length);

  const { model, engine } = session;
  if (!engine) throw new MetacamError('E_INTERNAL', 'evaluation builds an explainer per ground-truth class: open its session in-process (no worker)');
  const explainers = new Map<number | 'auto', Explainer>();
  const scorers = new Map<number, ClassScorer>();
  const explainerFor = (cls: number | 'auto'): Explainer => {
    let e = explainers.get(cls);
    if (!e) {
      e = engine.explainerFor({ classMode: cls, methods: session.members });
      explainers.set(cls, e);
    }
    return e;
  };
  const scorerFor = (cls: number): ClassScorer => {
    let s = scorers.get(cls);
    if (!s) {
      s = createClassScorer(engine.model, cls, 32);
      scorers.set(cls, s);
    }
    return s;
  };

  const samples = new FrameSamples();
  /** Previous frame's map per stream (method@k[@raw|@smoothed]), for flicker and temporal r. */
  const previous = new Map<string, CamMap>();
  const pair = (key: string, id: string, k: number, map: CamMap, newSegment: boolean, metrics: { flicker?: MetricName; r?: MetricName }): void => {
    const prev = previous.get(key);
    if (prev && !newSegment) {
      if (metrics.flicker) samples.add(id, k, metrics.flicker, 1 - regionIoU(prev, map));
      const r = metrics.r ? pearsonR(prev.data, map.data) : undefined;
      if (metrics.r && r !== undefined) samples.add(id, k, metrics.r, r);
    }
    previous.set(key, copyMap(map));
  };
  const streaming = new Map<number, FrameStage>(
    ks.map((k) => [k, createFrameStage({ members: session.members, labels: model.labels, metacam: { topK: k, binary, smoothSeconds, hysteresis, smoothMaps, mapMotion, consensus, weights: options.weights, sceneCutThreshold: options.sceneCutThreshold } })]),
  );
  const time = { explain: 0, road: 0, cre: 0 };
  const total = scoredFrames.length;
  onProgress?.({ done: 0, total });
  let done = 0;
  let correct = 0;
  const roadDone: number[] = [];
  const creDone: number[] = [];
  let previousIndex = -2;

  const metacamRaw = (thresholded: readonly CamMap[]): CamMap => consensusMap(thresholded);
  const metacamOf = (thresholded: readonly CamMap[], k: number): CamMap => adaptiveThreshold(metacamRaw(thresholded), k, { binary }).map;

  async function scoreFrame({ frame, target, maps }: Scored): Promise<void> {
    const box: Box | undefined = target ? pixelBoxToNormalised(target.object.bbox, info.width, info.height) : undefined;
    const cls = target ? target.object.class : maps.classIndex;
    if (target && argmax(maps.probabilities) === cls) correct++;
    let sceneCut = false;
    const perturb = roadSet.has(frame.index);
    const forRoad = new Map<string, CamMap>();
    for (const k of ks) {
      const r = streaming.get(k)!.explain(frame, maps);
      // The streamed MetaCAM's ROAD too (`roadSmoothed`): the map a user of `explain` sees.
      if (perturb) forRoad.set(`${METACAM_KEY}@${k}@smoothed`, r.maps.metacam);
      sceneCut = r.explanation.sceneCut;
      pair(`${METACAM_KEY}@${k}@smoothed`, METACAM_KEY, k, r.maps.metacam, sceneCut || frame.index !== previousIndex + 1, { flicker: 'flickerSmoothed' });
      // The streamed MetaCAM, as `explain` draws it (smoothed thresholds and maps): its localisation too.
      if (box) samples.add(METACAM_KEY, k, 'pointingGameSmoothed', pointingGame(r.maps.metacam, box));
    }
    const newSegment = sceneCut || frame.index !== previousIndex + 1;
    previousIndex = frame.index;
    const distinct = distinctMembers(fusedIds, maps.maps);
    merges.push(distinct.merged);
    const counted = new Set(distinct.distinct);
    const weights = consensusWeights(distinct.distinct, consensus, { groupOf, weights: options.weights, merged: distinct.merged });
    for (const id of memberIds) {
      const m = maps.maps[id]!;
      const gini = giniSparseness(m.data);
      for (const k of ks) samples.add(id, k, 'sparsenessRaw', gini);
      const prev = previous.get(`${id}@raw`);
      const r = prev && !newSegment ? pearsonR(prev.data, m.data) : undefined;
      if (r !== undefined) for (const k of ks) samples.add(id, k, 'temporalRRaw', r);
      previous.set(`${id}@raw`, copyMap(m));
      if (perturb) forRoad.set(`${id}@raw`, m);
    }
    for (const k of ks) {
      const thresholded: CamMap[] = [];
      for (const id of memberIds) {
        const m = maps.maps[id]!;
        const t = adaptiveThreshold(m, k, { binary }).map;
        if (counted.has(id)) thresholded.push(t);
        if (box) {
          samples.add(id, k, 'pointingGame', pointingGame(m, box));
          samples.add(id, k, 'energyInBox', energyInBox(t, box));
          samples.add(id, k, 'iou', regionBoxIoU(t, box));
        }
        samples.add(id, k, 'sparseness', giniSparseness(t.data));
        pair(`${id}@${k}`, id, k, t, newSegment, { flicker: 'flicker', r: 'temporalR' });
        if (perturb) forRoad.set(`${id}@${k}`, t);
      }
      const raw = consensusMap(thresholded, weights);
      const mc = adaptiveThreshold(raw, k, { binary }).map;
      if (box) {
        samples.add(METACAM_KEY, k, 'pointingGame', pointingGame(mc, box));
        samples.add(METACAM_KEY, k, 'energyInBox', energyInBox(mc, box));
        samples.add(METACAM_KEY, k, 'iou', regionBoxIoU(mc, box));
      }
      samples.add(METACAM_KEY, k, 'sparseness', giniSparseness(mc.data));
      samples.add(METACAM_KEY, k, 'sparsenessRaw', giniSparseness(raw.data));
      pair(`${METACAM_KEY}@${k}`, METACAM_KEY, k, mc, newSegment, { flicker: 'flicker', r: 'temporalR' });
      pair(`${METACAM_KEY}@${k}@raw`, METACAM_KEY, k, raw, newSegment, { r: 'temporalRRaw' });
      if (perturb) {
        forRoad.set(`${METACAM_KEY}@${k}`, mc);
        forRoad.set(`${METACAM_KEY}@${k}@raw`, raw);
      }
    }
    const image = perturb || creSet.has(frame.index) ? fromRgbImage(frame.input) : undefined;
    if (image && forRoad.size > 0) {
      const t0 = performance.now();
      const scores = await faithfulnessForMaps(image, forRoad, scorerFor(cls), { ...roadOpts, seed: frame.index });
      for (const [key, v] of scores) {
        const [id, kOrRaw, raw] = key.split('@') as [string, string, string | undefined];
        if (raw === 'smoothed') {
          samples.add(id, Number(kOrRaw), 'roadSmoothed', v.road);
          continue;
        }
        const isRaw = kOrRaw === 'raw' || raw === 'raw';
        const kList = kOrRaw === 'raw' ? ks : [Number(kOrRaw)];
        for (const k of kList) {
          for (const metric of Object.keys(v) as (keyof FaithfulnessScores)[]) {
            samples.add(id, k, isRaw ? `${metric}Raw` : metric, v[metric]);
          }
        }
      }
      for (const id of [...memberIds, METACAM_KEY]) {
        for (const k of ks) {
          const thr = scores.get(`${id}@${k}`);
          const raw = scores.get(id === METACAM_KEY ? `${id}@${k}@raw` : `${id}@raw`);
          if (thr && raw) samples.add(id, k, 'roadGain', thr.road - raw.road);
        }
      }
      roadDone.push(frame.index);
      time.road += (performance.now() - t0) / 1000;
    }
    if (image && creSet.has(frame.index)) {
      const t0 = performance.now();
      const thresholdedAt = new Map(memberIds.map((id) => [id, adaptiveThreshold(maps.maps[id]!, creK, { binary }).map]));
      const subsetMaps = new Map(creMembers.map((ids, i) => [String(i), metacamOf(ids.map((id) => thresholdedAt.get(id)!), creK)]));
      const scores = await roadForMaps(image, subsetMaps, scorerFor(cls), { ...roadOpts, seed: frame.index });
      for (const [i, v] of scores) creSums[Number(i)] += v;
      creDone.push(frame.index);
      time.cre += (performance.now() - t0) / 1000;
    }
    done++;
    onProgress?.({ done, total });
  }

  async function scoreBatch(frames: readonly Frame[]): Promise<void> {
    const items = frames.filter((f) => isScored(f.index)).map((frame) => ({ frame, target: byFrame.get(frame.index) }));
    const t0 = performance.now();
    const mapsByFrame = new Map<number, FrameMaps>();
    for (const cls of new Set(items.map((i) => i.target?.object.class ?? ('auto' as const)))) {
      const batch = items.filter((i) => (i.target?.object.class ?? 'auto') === cls).map((i) => i.frame);
      const maps = await explainerFor(cls).explainBatch(batch);
      maps.forEach((m) => mapsByFrame.set(m.index, m));
    }
    time.explain += (performance.now() - t0) / 1000;
    for (const item of items) await scoreFrame({ ...item, maps: mapsByFrame.get(item.frame.index)! });
  }

  const batchSize = session.explainer.batchSize;
  const flow = createFlow({ highWaterMark: 2 * batchSize });
  const abort$: Observable<unknown> = options.signal ? fromEvent(options.signal, 'abort') : EMPTY;
  try {
    let frames$ = decodeFrames(options.input, { width: model.inputSize.width, height: model.inputSize.height, flow, info });
    if (options.maxFrames !== undefined) frames$ = frames$.pipe(take(options.maxFrames));
    await lastValueFrom(
      frames$.pipe(
        takeUntil(abort$),
        bufferCount(batchSize),
        concatMap(async (batch) => {
          try {
            await scoreBatch(batch);
          } finally {
            flow.release(batch.length);
          }
        }),
      ),
      { defaultValue: undefined },
    );
  } finally {
    flow.close();
    for (const e of explainers.values()) e.dispose();
  }
  if (done === 0) {
    throw new MetacamError('E_INPUT_INVALID', withGt
      ? `no frame of ${options.input} matched a ground-truth frame of ${options.groundTruth ?? 'the ground truth'}`
      : `no frame could be decoded from ${options.input}`);
  }

  const names: MetricName[] = [...METRICS.flatMap((m) => (m.raw ? [m.name, `${m.name}Raw` as MetricName] : [m.name])), 'flickerSmoothed', 'pointingGameSmoothed', 'roadSmoothed'];
  const results: Record<string, Record<string, MetricScores>> = {};
  for (const id of [...memberIds, METACAM_KEY]) {
    const perK: Record<string, MetricScores> = {};
    for (const k of ks) {
      const scores: Record<string, unknown> = {};
      for (const name of names) {
        const values = samples.values(id, k, name);
        if (values.length === 0) continue;
        scores[name] = samples.mean(id, k, name);
        scores[`${name}Ci`] = ci(values);
      }
      perK[String(k)] = scores as MetricScores;
    }
    results[id] = perK;
  }

  let cre: Record<string, number> | undefined;
  let creReport: CreReport | undefined;
  if (options.cre && creDone.length > 0) {
    const table = creSubsets.map((g, i) => ({ members: g, score: creSums[i]! / creDone.length }));
    const r = cumulativeResidualEffect(table);
    cre = { ...r.cre };
    creReport = {
      k: creK,
      frames: creDone,
      median: r.median,
      subsets: table.map((row, i) => ({ groups: row.members, road: row.score, residual: r.residuals[i]! })),
      helps: groups.filter((g) => (r.cre[g] ?? 0) > 0),
    };
  }

  return {
    frames: done,
    k: ks,
    results,
    ...(cre ? { cre, creReport } : {}),
    ...(withGt ? { modelAccuracy: correct / done } : {}),
    groundTruth: withGt,
    ...(options.road ? { roadFrames: roadDone, roadProtocol: protocol } : {}),
    ciLevel: options.bootstrap?.level ?? 0.95,
    smoothSeconds,
    hysteresis,
    smoothMaps,
    mapMotion,
    consensus,
    model: model.id,
    layer: session.explainer.layer,
    members: memberIds,
    merged: merges.value,
    groups,
    interrupted: Boolean(options.signal?.aborted),
    timings: { total: (performance.now() - started) / 1000, ...time },
  };
}
