/**
 * The metrics of `metacam evaluate`, as data: their JSON names, table headings, which need ground-truth boxes,
 * which need the perturbation pass (--road), which are also scored on the raw map (key + 'Raw'), and which
 * direction is better. `results[id][k]` holds, per metric, the mean over frames (or frame pairs) and, beside it,
 * `<metric>Ci`: the seeded 95 % bootstrap interval of that mean (bootstrap-ci.ts).
 */
import type { Interval } from './bootstrap-ci.js';

export interface MetricInfo {
  readonly name: BaseMetric;
  /** Table heading. */
  readonly head: string;
  readonly needsBox: boolean;
  /** Computed on the perturbation frames (ROAD and friends), only with --road. */
  readonly perturbation: boolean;
  /** Also scored on the raw (un-thresholded) map, under `<name>Raw`. */
  readonly raw: boolean;
  readonly better: 'higher' | 'lower';
  /** Values may be negative (printed with a sign). */
  readonly signed: boolean;
}

export const METRICS: readonly MetricInfo[] = [
  { name: 'pointingGame', head: 'PG', needsBox: true, perturbation: false, raw: false, better: 'higher', signed: false },
  { name: 'energyInBox', head: 'EiB', needsBox: true, perturbation: false, raw: false, better: 'higher', signed: false },
  { name: 'iou', head: 'IoU', needsBox: true, perturbation: false, raw: false, better: 'higher', signed: false },
  { name: 'flicker', head: 'Flk', needsBox: false, perturbation: false, raw: false, better: 'lower', signed: false },
  { name: 'temporalR', head: 'r(t,t−1)', needsBox: false, perturbation: false, raw: true, better: 'higher', signed: true },
  { name: 'sparseness', head: 'Gini', needsBox: false, perturbation: false, raw: true, better: 'higher', signed: false },
  { name: 'road', head: 'ROAD', needsBox: false, perturbation: true, raw: true, better: 'higher', signed: true },
  { name: 'averageDrop', head: 'AvgDrop', needsBox: false, perturbation: true, raw: true, better: 'lower', signed: false },
  { name: 'increaseInConfidence', head: 'IncConf', needsBox: false, perturbation: true, raw: true, better: 'higher', signed: false },
  { name: 'deletionAuc', head: 'Del', needsBox: false, perturbation: true, raw: true, better: 'lower', signed: false },
  { name: 'insertionAuc', head: 'Ins', needsBox: false, perturbation: true, raw: true, better: 'higher', signed: false },
  /** Per frame ROAD(thresholded) − ROAD(raw): the paper's "thresholding improves the CAM", with a paired interval. */
  { name: 'roadGain', head: 'ROAD thr−raw', needsBox: false, perturbation: true, raw: false, better: 'higher', signed: true },
];

export type BaseMetric =
  | 'pointingGame' | 'energyInBox' | 'iou' | 'flicker' | 'temporalR' | 'sparseness'
  | 'road' | 'averageDrop' | 'increaseInConfidence' | 'deletionAuc' | 'insertionAuc' | 'roadGain';
export type RawMetric = 'temporalR' | 'sparseness' | 'road' | 'averageDrop' | 'increaseInConfidence' | 'deletionAuc' | 'insertionAuc';
/** Every key of a result: base metrics, raw variants, and the streamed MetaCAM's (smoothed) flicker and pointing game. */
/** …Smoothed: the streamed MetaCAM, as `explain` draws it (temporal smoothing on). */
export type MetricName = BaseMetric | `${RawMetric}Raw` | 'flickerSmoothed' | 'pointingGameSmoothed' | 'roadSmoothed';

export type MetricScores = { readonly [M in MetricName]?: number } & { readonly [M in MetricName as `${M}Ci`]?: Interval };
