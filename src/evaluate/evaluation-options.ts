/**
 * What `metacam evaluate` takes and returns: the options with their defaults and checks, the result shape (means,
 * intervals, CRE, merges), and the progress report. The run itself is run-evaluation.ts.
 */
import { MetacamError } from '../errors.js';
import type { MergeCount } from '../metacam/distinct-members.js';
import { DEFAULT_METACAM_SETTINGS, type ConsensusRule, type ConsensusWeights } from '../metacam/metacam-settings.js';
import type { MapMotion } from '../metacam/map-smoother.js';
import { checkTopK } from '../metacam/top-k.js';
import type { BootstrapOptions } from './bootstrap-ci.js';
import type { MetricScores } from './evaluation-metrics.js';
import type { EvaluationTarget } from './evaluation-targets.js';
import { checkRoadProtocol, DEFAULT_ROAD_PROTOCOL, type RoadProtocol } from './road-protocol.js';

export type { MetricScores } from './evaluation-metrics.js';
export const METACAM_KEY = 'metacam';

export interface EvaluationOptions {
  readonly input: string;
  /** Ground truth (JSON Lines). Without it every frame is scored for the predicted class, without box metrics. */
  readonly groundTruth?: string;
  /** Already read targets of `groundTruth` (the CLI reads them before loading the model, to fail fast). */
  readonly targets?: readonly EvaluationTarget[];
  /** Top-k percentages, each in (0, 100). */
  readonly topKs: readonly number[];
  readonly binary?: boolean;
  /** MetaCAM's consensus rule (consensus.ts). Default: the stage's ('sum'). */
  readonly consensus?: ConsensusRule;
  /** The `weighted` rule's weights (from a calibration profile). */
  readonly weights?: ConsensusWeights;
  /** Threshold smoothing of the streamed MetaCAM (`flickerSmoothed`, `pointingGameSmoothed`), seconds. Default: the stage's. */
  readonly smoothSeconds?: number;
  /** Region hysteresis of the streamed MetaCAM. Default: the stage's. */
  readonly hysteresis?: number;
  /** Consensus-map smoothing of the streamed MetaCAM, seconds. Default: the stage's. */
  readonly smoothMaps?: number;
  /** Whether the streamed MetaCAM's map smoothing follows motion. Default: the stage's. */
  readonly mapMotion?: MapMotion;
  readonly sceneCutThreshold?: number;
  readonly maxFrames?: number;
  /** The perturbation metrics: ROAD, Average Drop / Increase in Confidence, deletion / insertion. */
  readonly road?: boolean;
  /** Frames scored by the perturbation metrics (evenly spaced). Default: every scored frame. */
  readonly roadFrames?: number;
  /** Default 'fair' (road-protocol.ts). */
  readonly roadProtocol?: RoadProtocol;
  readonly cre?: boolean;
  /** Frames scored for CRE (evenly spaced). Default 4. */
  readonly creFrames?: number;
  /** k of the subset MetaCAMs for CRE. Default 10 when it is among topKs, else the first k. */
  readonly creK?: number;
  /** CG tolerance of the imputation. Default 1e-6. */
  readonly roadTolerance?: number;
  /** Bootstrap of the intervals (resamples 1000, level 0.95, seed 0). */
  readonly bootstrap?: BootstrapOptions;
  readonly signal?: AbortSignal;
}

/**
 * roadFrames: the perturbation metrics run on every scored frame of a clip up to this many, and on this many evenly
 * spaced frames of a longer one (80 frames × 11 members at 40: 301 s here, at every frame 908 s; issue 14 asks for
 * a stated number ≥ 32 and < 10 min).
 */
export const EVALUATION_DEFAULTS = { smoothSeconds: DEFAULT_METACAM_SETTINGS.smoothSeconds, roadFrames: 40, smoothMaps: DEFAULT_METACAM_SETTINGS.smoothMaps, creFrames: 4, roadProtocol: DEFAULT_ROAD_PROTOCOL } as const;

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
  /** Frames scored (decoded frames with a ground-truth target, or every decoded frame without ground truth). */
  readonly frames: number;
  readonly k: readonly number[];
  /** Per method id and 'metacam', per k (as a string key), the mean scores and their intervals. */
  readonly results: Readonly<Record<string, Readonly<Record<string, MetricScores>>>>;
  readonly cre?: Readonly<Record<string, number>>;
  readonly creReport?: CreReport;
  /** With ground truth only. */
  readonly modelAccuracy?: number;
  readonly groundTruth: boolean;
  readonly roadFrames?: readonly number[];
  readonly roadProtocol?: RoadProtocol;
  /** Coverage of the intervals, e.g. 0.95. */
  readonly ciLevel: number;
  readonly smoothSeconds: number;
  readonly hysteresis: number;
  readonly smoothMaps: number;
  readonly mapMotion: MapMotion;
  readonly consensus: ConsensusRule;
  readonly model: string;
  readonly layer: string;
  readonly members: readonly string[];
  /** Members left out of MetaCAM's sum on some frames because their map equalled another's (distinct-members.ts). */
  readonly merged: readonly MergeCount[];
  readonly groups: readonly string[];
  readonly interrupted: boolean;
  /** Wall-clock seconds: total, and spent in explaining, the perturbation metrics ("road") and CRE. */
  readonly timings: { readonly total: number; readonly explain: number; readonly road: number; readonly cre: number };
}

export interface EvaluationProgress {
  readonly done: number;
  readonly total: number;
}

/** Checks the options before any frame is decoded (E_ARG naming the flag). */
export function checkOptions(o: EvaluationOptions): void {
  if (o.topKs.length === 0) throw new MetacamError('E_ARG', '--top-k needs at least one percentage, e.g. 5,10,20,30');
  for (const k of o.topKs) checkTopK(k);
  if (new Set(o.topKs).size !== o.topKs.length) throw new MetacamError('E_ARG', `--top-k lists a value twice: ${o.topKs.join(',')}`);
  for (const [flag, v] of [['road-frames', o.roadFrames], ['cre-frames', o.creFrames]] as const) {
    if (v !== undefined && !(Number.isInteger(v) && v >= 1)) throw new MetacamError('E_ARG', `--${flag} must be an integer ≥ 1; got ${v}`);
  }
  if (o.roadProtocol !== undefined) checkRoadProtocol(o.roadProtocol);
}
