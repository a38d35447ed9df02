/**
 * `metacam calibrate`: fits MetaCAM's members on a calibration clip. On `frames` evenly spaced scored frames
 * (frames with a target when ground truth is given, else every frame for the predicted class):
 *   1. every member's map M̂_i is computed once per frame;
 *   2. for every non-empty subset e of the method groups present, MetaCAM_e = T_k(normalise(Σ T_k(M̂_i))) over
 *      the distinct members of e (identical maps vote once, as in the stage; no temporal smoothing); each single
 *      member is scored too (pointing game on M̂_i, ROAD on T_k(M̂_i), as `evaluate` scores members);
 *   3. each is scored per frame — ROAD under the protocol (always), pointing game (with ground truth) — and each
 *      mean gets a seeded bootstrap interval over the frames;
 *   4. CRE per group from the subsets' ROAD (cre.ts);
 *   5. the chosen subset (calibration-choice.ts): best pointing game with ground truth, else best ROAD; ties →
 *      higher ROAD → fewer members. Its members get weight 1: the profile then reproduces exactly the MetaCAM
 *      that was measured (weights fitted from CRE would be a second fit on 16 frames, never measured as such).
 * Identical maps of a frame (the same subset map from different subsets) are scored by ROAD once.
 */
import { filter, lastValueFrom, toArray } from 'rxjs';
import type { CamMap } from '../core/cam-map.js';
import type { Frame } from '../core/frame.js';
import type { FrameMaps } from '../core/frame-maps.js';
import { MetacamError } from '../errors.js';
import type { CamGroup } from '../explain/methods/types.js';
import { decodeFrames } from '../ingest/decode-frames.js';
import { probeVideo } from '../ingest/probe-video.js';
import { adaptiveThreshold } from '../metacam/adaptive-threshold.js';
import { consensusMap } from '../metacam/consensus.js';
import { distinctMembers } from '../metacam/distinct-members.js';
import { groupsOf } from '../metacam/groups.js';
import { checkTopK } from '../metacam/top-k.js';
import type { Session } from '../pipeline/session.js';
import { fusedMembers } from '../pipeline/frame-stage.js';
import { createBootstrap, type BootstrapOptions, type Interval } from './bootstrap-ci.js';
import { chooseSubset, type CalibrationPrimary } from './calibration-choice.js';
import { createClassScorer } from './class-scorer.js';
import { cumulativeResidualEffect, nonEmptySubsets } from './cre.js';
import { readEvaluationTargets, type EvaluationTarget } from './evaluation-targets.js';
import { evenSubset } from './even-subset.js';
import { fromRgbImage } from './float-image.js';
import { firstOfEachContent } from './map-identity.js';
import { pixelBoxToNormalised } from './pixel-box.js';
import { pointingGame } from './pointing-game.js';
import { roadForMaps } from './road-batch.js';
import { checkRoadProtocol, DEFAULT_ROAD_PROTOCOL, type RoadProtocol } from './road-protocol.js';
import type { ClassScorer } from './road.js';

/**
 * frames: 24 evenly spaced frames — 261 s on the 2-core shared machine (load 4.6–7.4) for the shapes model with
 * --preset full (11 members, 6 groups → 63 subsets), almost all of it ROAD (docs/metacam.md, "Calibration").
 */
export const CALIBRATION_DEFAULTS = { frames: 24, topK: 10, roadProtocol: DEFAULT_ROAD_PROTOCOL } as const;

export interface CalibrationOptions {
  readonly input: string;
  readonly groundTruth?: string;
  /** Already read targets of `groundTruth`. */
  readonly targets?: readonly EvaluationTarget[];
  readonly topK?: number;
  readonly roadProtocol?: RoadProtocol;
  /** Frames scored, evenly spaced over the scored frames. */
  readonly frames?: number;
  readonly binary?: boolean;
  readonly roadTolerance?: number;
  readonly bootstrap?: BootstrapOptions;
  readonly signal?: AbortSignal;
}

export interface Scores {
  readonly road: number;
  readonly roadCi: Interval;
  readonly pointingGame?: number;
  readonly pointingGameCi?: Interval;
}

export interface CalibrationSubset extends Scores {
  readonly groups: readonly CamGroup[];
  readonly members: readonly string[];
}

export interface CalibrationResult {
  readonly frames: readonly number[];
  readonly groundTruth: boolean;
  readonly topK: number;
  readonly protocol: RoadProtocol;
  readonly binary: boolean;
  readonly ciLevel: number;
  readonly layer: string;
  readonly groups: readonly CamGroup[];
  readonly primary: CalibrationPrimary;
  readonly subsets: readonly CalibrationSubset[];
  readonly singles: readonly (Scores & { readonly id: string })[];
  readonly cre: { readonly median: number; readonly byGroup: Readonly<Record<string, number>> };
  readonly chosen: { readonly index: number; readonly groups: readonly CamGroup[]; readonly members: readonly string[]; readonly weights: Readonly<Record<string, number>> };
  readonly timings: { readonly total: number; readonly explain: number; readonly road: number };
}

export interface CalibrationProgress {
  readonly done: number;
  readonly total: number;
}

/** Checks the options before any frame is decoded (E_ARG naming the flag). */
export function checkCalibrationOptions(o: CalibrationOptions): void {
  if (o.topK !== undefined) checkTopK(o.topK);
  if (o.frames !== undefined && !(Number.isInteger(o.frames) && o.frames >= 1)) throw new MetacamError('E_ARG', `--frames must be an integer ≥ 1; got ${o.frames}`);
  if (o.roadProtocol !== undefined) checkRoadProtocol(o.roadProtocol);
}

/** Per key, the frame values of ROAD and (with ground truth) the pointing game. */
class Tally {
  private readonly values = new Map<string, { road: number[]; pointingGame: number[] }>();
  add(key: string, metric: 'road' | 'pointingGame', v: number): void {
    let e = this.values.get(key);
    if (!e) this.values.set(key, (e = { road: [], pointingGame: [] }));
    e[metric].push(v);
  }
  scores(key: string, ci: (v: number[]) => Interval | undefined): Scores {
    const e = this.values.get(key) ?? { road: [], pointingGame: [] };
    const mean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
    const interval = (v: number[]): Interval => ci(v) ?? [mean(v), mean(v)];
    return {
      road: mean(e.road), roadCi: interval(e.road),
      ...(e.pointingGame.length ? { pointingGame: mean(e.pointingGame), pointingGameCi: interval(e.pointingGame) } : {}),
    };
  }
}

export async function runCalibration(session: Session, o: CalibrationOptions, onProgress?: (p: CalibrationProgress) => void): Promise<CalibrationResult> {
  const started = performance.now();
  checkCalibrationOptions(o);
  const k = o.topK ?? CALIBRATION_DEFAULTS.topK;
  const binary = o.binary ?? false;
  const protocol = o.roadProtocol ?? CALIBRATION_DEFAULTS.roadProtocol;
  const { engine, model } = session;
  if (!engine) throw new MetacamError('E_INTERNAL', 'calibration builds an explainer per ground-truth class: open its session in-process (no worker)');
  const fused = fusedMembers(session.members);
  const groups = groupsOf(fused, session.members);
  const subsets = nonEmptySubsets(groups);
  const subsetMembers = subsets.map((s) => session.members.filter((m) => fused.includes(m.id) && (s as string[]).includes(m.group)).map((m) => m.id));

  const withGt = o.groundTruth !== undefined || o.targets !== undefined;
  const targets = withGt ? (o.targets ?? (await readEvaluationTargets(o.groundTruth!))) : [];
  const info = await probeVideo(o.input);
  const byFrame = new Map(targets.filter((t) => t.frame < info.frameCount).map((t) => [t.frame, t]));
  if (withGt && byFrame.size === 0) {
    throw new MetacamError('E_INPUT_INVALID', `${o.groundTruth ?? 'the ground truth'} has no target for frames 0–${info.frameCount - 1} of ${o.input}; is it the ground truth of this clip?`);
  }
  const scored = withGt ? [...byFrame.keys()].sort((a, b) => a - b) : Array.from({ length: info.frameCount }, (_, i) => i);
  const chosenFrames = new Set(evenSubset(scored, o.frames ?? CALIBRATION_DEFAULTS.frames));
  // Without a buffer pool every decoded frame is a fresh buffer, so the few chosen ones can be kept.
  const frames = await lastValueFrom(decodeFrames(o.input, { width: model.inputSize.width, height: model.inputSize.height, info }).pipe(filter((f) => chosenFrames.has(f.index)), toArray()));
  if (frames.length === 0) throw new MetacamError('E_INPUT_INVALID', `no frame could be decoded from ${o.input}`);

  const tally = new Tally();
  const scorers = new Map<number, ClassScorer>();
  const scorerFor = (cls: number): ClassScorer => {
    let s = scorers.get(cls);
    if (!s) scorers.set(cls, (s = createClassScorer(engine.model, cls, 32)));
    return s;
  };
  const time = { explain: 0, road: 0 };
  const done: number[] = [];
  onProgress?.({ done: 0, total: frames.length });

  async function scoreFrame(frame: Frame, maps: FrameMaps, target: EvaluationTarget | undefined): Promise<void> {
    const box = target ? pixelBoxToNormalised(target.object.bbox, info.width, info.height) : undefined;
    const cls = target ? target.object.class : maps.classIndex;
    const thresholded = new Map(fused.map((id) => [id, adaptiveThreshold(maps.maps[id]!, k, { binary }).map]));
    const candidates = new Map<string, CamMap>();
    for (const id of fused) {
      candidates.set(`m:${id}`, thresholded.get(id)!);
      if (box) tally.add(`m:${id}`, 'pointingGame', pointingGame(maps.maps[id]!, box));
    }
    subsetMembers.forEach((ids, i) => {
      const voters = distinctMembers(ids, maps.maps).distinct;
      const mc = adaptiveThreshold(consensusMap(voters.map((id) => thresholded.get(id)!)), k, { binary }).map;
      candidates.set(`s:${i}`, mc);
      if (box) tally.add(`s:${i}`, 'pointingGame', pointingGame(mc, box));
    });
    const t0 = performance.now();
    const firstOf = firstOfEachContent(candidates);
    const unique = new Map([...candidates].filter(([key]) => firstOf.get(key) === key));
    const road = await roadForMaps(fromRgbImage(frame.input), unique, scorerFor(cls), { tolerance: o.roadTolerance, protocol, seed: frame.index });
    for (const key of candidates.keys()) tally.add(key, 'road', road.get(firstOf.get(key)!)!);
    time.road += (performance.now() - t0) / 1000;
  }

  const batchSize = session.explainer.batchSize;
  const explainers = new Map<number | 'auto', ReturnType<typeof engine.explainerFor>>();
  try {
    for (let start = 0; start < frames.length; start += batchSize) {
      if (o.signal?.aborted) break;
      const batch = frames.slice(start, start + batchSize);
      const t0 = performance.now();
      const mapsByFrame = new Map<number, FrameMaps>();
      for (const cls of new Set(batch.map((f) => byFrame.get(f.index)?.object.class ?? ('auto' as const)))) {
        let e = explainers.get(cls);
        if (!e) explainers.set(cls, (e = engine.explainerFor({ classMode: cls, methods: session.members })));
        const maps = await e.explainBatch(batch.filter((f) => (byFrame.get(f.index)?.object.class ?? 'auto') === cls));
        maps.forEach((m) => mapsByFrame.set(m.index, m));
      }
      time.explain += (performance.now() - t0) / 1000;
      for (const frame of batch) {
        if (o.signal?.aborted) break;
        await scoreFrame(frame, mapsByFrame.get(frame.index)!, byFrame.get(frame.index));
        done.push(frame.index);
        onProgress?.({ done: done.length, total: frames.length });
      }
    }
  } finally {
    for (const e of explainers.values()) e.dispose();
  }
  if (o.signal?.aborted) throw new MetacamError('E_INTERRUPTED', `calibration interrupted after ${done.length} of ${frames.length} frames; no profile written`);

  const ci = createBootstrap(o.bootstrap);
  const rows: CalibrationSubset[] = subsets.map((g, i) => ({ groups: g, members: subsetMembers[i]!, ...tally.scores(`s:${i}`, ci) }));
  const singles = fused.map((id) => ({ id, ...tally.scores(`m:${id}`, ci) }));
  const primary: CalibrationPrimary = withGt ? 'pointingGame' : 'road';
  const index = chooseSubset(rows, primary);
  const cre = cumulativeResidualEffect(rows.map((r) => ({ members: r.groups, score: r.road })));
  const chosen = rows[index]!;
  return {
    frames: done, groundTruth: withGt, topK: k, protocol, binary, ciLevel: o.bootstrap?.level ?? 0.95,
    layer: session.explainer.layer, groups, primary, subsets: rows, singles,
    cre: { median: cre.median, byGroup: { ...cre.cre } },
    chosen: { index, groups: chosen.groups, members: chosen.members, weights: Object.fromEntries(chosen.members.map((id) => [id, 1])) },
    timings: { total: (performance.now() - started) / 1000, explain: time.explain, road: time.road },
  };
}
