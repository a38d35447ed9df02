/**
 * `metacam evaluate`: explains every ground-truth frame of a clip for its target object's class and scores each
 * member and MetaCAM against the target's box, at every k. Definitions (docs/metacam.md):
 *   - member i at k: pointing game on its map M̂_i (the maximum does not depend on k); energy-in-box, IoU and
 *     flicker on T_i = T_k(M̂_i); ROAD on T_i;
 *   - MetaCAM at k: T_k(normalise(Σ_i T_i)), per frame, without temporal smoothing — every metric on it;
 *     `flickerSmoothed` is the flicker of the streaming MetaCAM (the per-frame stage with --smooth seconds and scene-cut
 *     resets), i.e. what `metacam explain` draws;
 *   - flicker pairs are consecutive scored frames; a scene cut or a frame without a target starts a new segment;
 *   - ROAD (--road) on `roadFrames` evenly spaced frames; CRE (--cre) on `creFrames` evenly spaced frames: for every
 *     non-empty subset of the members' groups, MetaCAM at `creK` from that subset's members, scored by mean ROAD;
 *   - modelAccuracy: share of scored frames whose argmax is the target class.
 * The engine is explained per class (one explainer per target class, cached); frames stream through a credit flow
 * so memory stays bounded on long clips; everything that holds tensors is disposed in `finally`.
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
import { consensusMap } from '../metacam/consensus.js';
import { FlickerMeter } from '../metacam/flicker.js';
import { DEFAULT_METACAM_SETTINGS } from '../metacam/metacam-settings.js';
import { checkTopK } from '../metacam/top-k.js';
import { CAM_GROUPS } from '../metacam/groups.js';
import type { Box } from '../core/frame-explanation.js';
import type { Session } from '../pipeline/session.js';
import { createFrameStage, type FrameStage } from '../pipeline/frame-stage.js';
import { createClassScorer } from './class-scorer.js';
import { cumulativeResidualEffect, nonEmptySubsets } from './cre.js';
import { energyInBox } from './energy-in-box.js';
import { readEvaluationTargets, type EvaluationTarget } from './evaluation-targets.js';
import { evenSubset } from './even-subset.js';
import { fromRgbImage } from './float-image.js';
import { MetricMeans } from './metric-means.js';
import { pixelBoxToNormalised } from './pixel-box.js';
import { pointingGame } from './pointing-game.js';
import { regionBoxIoU } from './region-box-iou.js';
import { roadForMaps } from './road-batch.js';
import type { ClassScorer } from './road.js';

export const METACAM_KEY = 'metacam';

export interface EvaluationOptions {
  readonly input: string;
  readonly groundTruth: string;
  /** Already read targets of `groundTruth` (the CLI reads them before loading the model, to fail fast). */
  readonly targets?: readonly EvaluationTarget[];
  /** Top-k percentages, each in (0, 100). */
  readonly topKs: readonly number[];
  readonly binary?: boolean;
  /** Threshold smoothing for `flickerSmoothed`, seconds. Default 0.5. */
  readonly smoothSeconds?: number;
  readonly sceneCutThreshold?: number;
  readonly maxFrames?: number;
  readonly road?: boolean;
  /** Frames scored by ROAD (evenly spaced). Default 8. */
  readonly roadFrames?: number;
  readonly cre?: boolean;
  /** Frames scored for CRE (evenly spaced). Default 4. */
  readonly creFrames?: number;
  /** k of the subset MetaCAMs for CRE. Default 10 when it is among topKs, else the first k. */
  readonly creK?: number;
  /** CG tolerance of the imputation. Default 1e-6. */
  readonly roadTolerance?: number;
  readonly signal?: AbortSignal;
}

export interface MetricScores {
  readonly pointingGame: number;
  readonly energyInBox: number;
  readonly iou: number;
  readonly road?: number;
  /** Mean 1 − IoU of consecutive regions, without temporal smoothing. */
  readonly flicker: number;
  /** MetaCAM only: flicker of the streaming MetaCAM with thresholds smoothed over `smoothSeconds`. */
  readonly flickerSmoothed?: number;
}

export interface CreSubsetScore {
  readonly groups: readonly string[];
  readonly road: number;
  readonly residual: number;
}

export interface CreReport {
  readonly k: number;
  readonly frames: readonly number[];
  readonly median: number;
  readonly subsets: readonly CreSubsetScore[];
  /** Groups with CRE > 0: subsets containing them tend to score above the median. */
  readonly helps: readonly string[];
}

export interface EvaluationResult {
  /** Frames scored (decoded frames that have a target in the ground truth). */
  readonly frames: number;
  readonly k: readonly number[];
  /** Per method id and 'metacam', per k (as a string key), the mean scores. */
  readonly results: Readonly<Record<string, Readonly<Record<string, MetricScores>>>>;
  readonly cre?: Readonly<Record<string, number>>;
  readonly creReport?: CreReport;
  readonly modelAccuracy: number;
  readonly roadFrames?: readonly number[];
  readonly smoothSeconds: number;
  readonly model: string;
  readonly layer: string;
  readonly members: readonly string[];
  readonly groups: readonly string[];
  readonly interrupted: boolean;
  /** Wall-clock seconds: total, and spent in explaining, ROAD and CRE. */
  readonly timings: { readonly total: number; readonly explain: number; readonly road: number; readonly cre: number };
}

export interface EvaluationProgress {
  readonly done: number;
  readonly total: number;
}

interface Scored {
  readonly frame: Frame;
  readonly target: EvaluationTarget;
  readonly maps: FrameMaps;
}

/** The groups present among the members, in the registry's group order. */
function memberGroups(session: Session): CamGroup[] {
  const present = new Set(session.members.map((m) => m.group));
  return CAM_GROUPS.filter((g) => present.has(g));
}

function checkOptions(o: EvaluationOptions): void {
  if (o.topKs.length === 0) throw new MetacamError('E_ARG', '--top-k needs at least one percentage, e.g. 5,10,20,30');
  for (const k of o.topKs) checkTopK(k);
  if (new Set(o.topKs).size !== o.topKs.length) throw new MetacamError('E_ARG', `--top-k lists a value twice: ${o.topKs.join(',')}`);
  for (const [flag, v] of [['road-frames', o.roadFrames], ['cre-frames', o.creFrames]] as const) {
    if (v !== undefined && !(Number.isInteger(v) && v >= 1)) throw new MetacamError('E_ARG', `--${flag} must be an integer ≥ 1; got ${v}`);
  }
}

function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

export async function runEvaluation(
  session: Session,
  options: EvaluationOptions,
  onProgress?: (p: EvaluationProgress) => void,
): Promise<EvaluationResult> {
  const started = performance.now();
  checkOptions(options);
  const ks = [...options.topKs];
  const binary = options.binary ?? DEFAULT_METACAM_SETTINGS.binary;
  const smoothSeconds = options.smoothSeconds ?? DEFAULT_METACAM_SETTINGS.smoothSeconds;
  const creK = options.creK ?? (ks.includes(10) ? 10 : ks[0]!);
  const memberIds = session.members.map((m) => m.id);
  const groups = memberGroups(session);
  const roadOpts = { tolerance: options.roadTolerance };

  const targets = options.targets ?? (await readEvaluationTargets(options.groundTruth));
  const info = await probeVideo(options.input);
  const lastFrame = Math.min(info.frameCount, options.maxFrames ?? Infinity);
  const byFrame = new Map(targets.filter((t) => t.frame < lastFrame).map((t) => [t.frame, t]));
  if (byFrame.size === 0) {
    throw new MetacamError('E_INPUT_INVALID', `${options.groundTruth} has no target for frames 0–${lastFrame - 1} of ${options.input}; is it the ground truth of this clip?`);
  }
  const scoredFrames = [...byFrame.keys()].sort((a, b) => a - b);
  const roadSet = new Set(options.road ? evenSubset(scoredFrames, options.roadFrames ?? 8) : []);
  const creSet = new Set(options.cre ? evenSubset(scoredFrames, options.creFrames ?? 4) : []);
  const creSubsets = options.cre ? nonEmptySubsets(groups) : [];
  const creMembers = creSubsets.map((subset) => session.members.filter((m) => subset.includes(m.group)).map((m) => m.id));
  const creSums = new Float64Array(creSubsets.length);

  const { model, engine } = session;
  if (!engine) throw new MetacamError('E_INTERNAL', 'evaluation builds an explainer per ground-truth class: open its session in-process (no worker)');
  const explainers = new Map<number, Explainer>();
  const scorers = new Map<number, ClassScorer>();
  const explainerFor = (cls: number): Explainer => {
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

  const means = new MetricMeans();
  const flicker = new Map<string, FlickerMeter>();
  const meter = (key: string): FlickerMeter => {
    let m = flicker.get(key);
    if (!m) flicker.set(key, (m = new FlickerMeter()));
    return m;
  };
  const streaming = new Map<number, FrameStage>(
    ks.map((k) => [k, createFrameStage({ members: session.members, labels: model.labels, metacam: { topK: k, binary, smoothSeconds, sceneCutThreshold: options.sceneCutThreshold } })]),
  );
  const time = { explain: 0, road: 0, cre: 0 };
  onProgress?.({ done: 0, total: byFrame.size });
  let done = 0;
  let correct = 0;
  const roadDone: number[] = [];
  const creDone: number[] = [];
  let previousIndex = -2;

  const metacamOf = (thresholded: readonly CamMap[], k: number): CamMap => adaptiveThreshold(consensusMap(thresholded), k, { binary }).map;

  async function scoreFrame({ frame, target, maps }: Scored): Promise<void> {
    const box: Box = pixelBoxToNormalised(target.object.bbox, info.width, info.height);
    const cls = target.object.class;
    if (argmax(maps.probabilities) === cls) correct++;
    let sceneCut = false;
    for (const k of ks) {
      const r = streaming.get(k)!.explain(frame, maps);
      sceneCut = r.explanation.sceneCut;
      meter(`${METACAM_KEY}@${k}@smoothed`).push(r.maps.metacam, sceneCut || frame.index !== previousIndex + 1);
    }
    const newSegment = sceneCut || frame.index !== previousIndex + 1;
    previousIndex = frame.index;
    const forRoad = new Map<string, CamMap>();
    for (const k of ks) {
      const thresholded: CamMap[] = [];
      for (const id of memberIds) {
        const m = maps.maps[id]!;
        const t = adaptiveThreshold(m, k, { binary }).map;
        thresholded.push(t);
        means.add(id, k, 'pointingGame', pointingGame(m, box));
        means.add(id, k, 'energyInBox', energyInBox(t, box));
        means.add(id, k, 'iou', regionBoxIoU(t, box));
        meter(`${id}@${k}`).push(t, newSegment);
        if (roadSet.has(frame.index)) forRoad.set(`${id}@${k}`, t);
      }
      const mc = metacamOf(thresholded, k);
      means.add(METACAM_KEY, k, 'pointingGame', pointingGame(mc, box));
      means.add(METACAM_KEY, k, 'energyInBox', energyInBox(mc, box));
      means.add(METACAM_KEY, k, 'iou', regionBoxIoU(mc, box));
      meter(`${METACAM_KEY}@${k}`).push(mc, newSegment);
      if (roadSet.has(frame.index)) forRoad.set(`${METACAM_KEY}@${k}`, mc);
    }
    const image = roadSet.has(frame.index) || creSet.has(frame.index) ? fromRgbImage(frame.input) : undefined;
    if (image && forRoad.size > 0) {
      const t0 = performance.now();
      const scores = await roadForMaps(image, forRoad, scorerFor(cls), { ...roadOpts, seed: frame.index });
      for (const [key, v] of scores) {
        const [id, k] = key.split('@');
        means.add(id!, Number(k), 'road', v);
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
    onProgress?.({ done, total: byFrame.size });
  }

  async function scoreBatch(frames: readonly Frame[]): Promise<void> {
    const items = frames.flatMap((frame) => {
      const target = byFrame.get(frame.index);
      return target ? [{ frame, target }] : [];
    });
    const t0 = performance.now();
    const mapsByFrame = new Map<number, FrameMaps>();
    for (const cls of new Set(items.map((i) => i.target.object.class))) {
      const batch = items.filter((i) => i.target.object.class === cls).map((i) => i.frame);
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
  if (done === 0) throw new MetacamError('E_INPUT_INVALID', `no frame of ${options.input} matched a ground-truth frame of ${options.groundTruth}`);

  const results: Record<string, Record<string, MetricScores>> = {};
  for (const id of [...memberIds, METACAM_KEY]) {
    const perK: Record<string, MetricScores> = {};
    for (const k of ks) {
      const road = means.mean(id, k, 'road');
      perK[String(k)] = {
        pointingGame: means.mean(id, k, 'pointingGame') ?? 0,
        energyInBox: means.mean(id, k, 'energyInBox') ?? 0,
        iou: means.mean(id, k, 'iou') ?? 0,
        ...(road === undefined ? {} : { road }),
        flicker: meter(`${id}@${k}`).value,
        ...(id === METACAM_KEY ? { flickerSmoothed: meter(`${METACAM_KEY}@${k}@smoothed`).value } : {}),
      };
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
    modelAccuracy: correct / done,
    ...(options.road ? { roadFrames: roadDone } : {}),
    smoothSeconds,
    model: model.id,
    layer: session.explainer.layer,
    members: memberIds,
    groups,
    interrupted: Boolean(options.signal?.aborted),
    timings: { total: (performance.now() - started) / 1000, ...time },
  };
}
