/**
 * The explain stage's settings — which model, which layer and class, which members, how it runs — with their
 * defaults and checks, defined once here. The CLI parses flags into this shape (checking each against the same
 * lists and ranges), `openSession` takes it, the audit header records it resolved.
 */
import { checkNumber, checkOneOf, definedOnly, type NumberRange } from '../../core/checks.js';
import { MetacamError } from '../../errors.js';
import type { BackendChoice } from '../backend/backend.js';
import { INPUT_RANGES, type InputRange } from './loaded-model.js';
import { TARGET_KINDS, type TargetKind } from '../engine/target-scores.js';

/** 'auto' (each frame's predicted class), a class index, or a label (resolved once the model is loaded). */
export type ClassChoice = 'auto' | number | string;
export type Preset = 'realtime' | 'full';
export const PRESET_NAMES: readonly Preset[] = ['realtime', 'full'];
export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', 'tensorflow', 'wasm', 'cpu'];
export { INPUT_RANGES, TARGET_KINDS };

export interface ModelSettings {
  /** A bundled model name or the path of a model file (`-m`). */
  readonly model: string;
  /** Target layer; default: the model's own, else the last spatial layer before global pooling. */
  readonly layer?: string;
  /** More target layers for RefineCAM (`--layer a,b,target`: every name but the last). */
  readonly extraLayers?: readonly string[];
  readonly classChoice: ClassChoice;
  /** Explicit members (`--methods`), ensemble groups (`--groups`) or a preset (`--preset`). */
  readonly methods?: readonly string[];
  readonly groups?: readonly string[];
  readonly preset?: Preset;
  /** What the gradients explain (`--target`): the raw logit (absent = 'logit'), its softmax, or FinerCAM's target. */
  readonly target?: TargetKind;
  /** Test-time augmentation (`--aug-smooth`): each map averaged over flip × scale 0.9/1/1.1 (6× the cost). Off by default. */
  readonly augSmooth?: boolean;
  /** `--eigen-smooth`: each map the first principal component of the terms it sums. Off by default. */
  readonly eigenSmooth?: boolean;
  /** Channel budget of the per-channel methods (Score-CAM, Ablation-CAM). */
  readonly maxChannels: number;
  /** Frames per forward pass. */
  readonly batch: number;
  readonly backend: BackendChoice;
  /** Preprocessing for a user's model (bundled models carry their own). */
  readonly inputRange?: InputRange;
  readonly mean?: readonly [number, number, number];
  readonly std?: readonly [number, number, number];
  /** A labels.txt (one class name per line) for any model (`--labels`). */
  readonly labels?: string;
}

export const DEFAULT_MODEL_SETTINGS: ModelSettings = Object.freeze({
  model: 'mobilenet-v2',
  classChoice: 'auto',
  maxChannels: 64,
  batch: 8,
  backend: 'auto',
});

/** Valid values of the numeric settings (the CLI checks its flags against these too). */
export const MODEL_RANGES = {
  maxChannels: { min: 1, max: 1 << 16, integer: true },
  batch: { min: 1, max: 256, integer: true },
} as const satisfies Record<string, NumberRange>;

/** Fills defaults and checks every value; throws E_ARG naming the setting. */
export function resolveModelSettings(partial: Partial<ModelSettings> = {}): ModelSettings {
  const s = { ...DEFAULT_MODEL_SETTINGS, ...definedOnly(pickModelSettings(partial)) };
  if (typeof s.model !== 'string' || s.model === '') throw new MetacamError('E_ARG', 'model must be a bundled model name or the path of a model file.');
  checkNumber('maxChannels', s.maxChannels, MODEL_RANGES.maxChannels);
  checkNumber('batch', s.batch, MODEL_RANGES.batch);
  checkOneOf('backend', s.backend, BACKEND_CHOICES);
  if (s.preset !== undefined) checkOneOf('preset', s.preset, PRESET_NAMES);
  if (s.preset !== undefined && s.methods?.length) throw new MetacamError('E_ARG', 'Give either a preset or methods, not both.');
  if (s.inputRange !== undefined) checkOneOf('inputRange', s.inputRange, INPUT_RANGES);
  if (s.target !== undefined) checkOneOf('target', s.target, TARGET_KINDS);
  for (const [name, v] of [['mean', s.mean], ['std', s.std]] as const) {
    if (v !== undefined && (v.length !== 3 || v.some((x) => !Number.isFinite(x)))) throw new MetacamError('E_ARG', `${name} takes 3 numbers (r, g, b); got ${JSON.stringify(v)}.`);
  }
  return s;
}

/** Only the model settings of a larger options object (e.g. a command's parsed flags). */
export function pickModelSettings(o: Partial<ModelSettings>): Partial<ModelSettings> {
  return definedOnly({
    model: o.model, layer: o.layer, extraLayers: o.extraLayers, classChoice: o.classChoice, methods: o.methods, groups: o.groups, preset: o.preset, target: o.target, augSmooth: o.augSmooth, eigenSmooth: o.eigenSmooth,
    maxChannels: o.maxChannels, batch: o.batch, backend: o.backend, inputRange: o.inputRange, mean: o.mean, std: o.std, labels: o.labels,
  });
}
