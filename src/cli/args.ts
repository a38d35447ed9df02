/**
 * Command-line flags → typed, validated options. Pure: no I/O, so every rule is unit-tested.
 * Validation happens here, at the boundary; errors name the flag and what it accepts.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { MetacamError } from '../errors.js';
import type { BackendChoice } from '../explain/backend.js';
import { COLORMAP_NAMES, type ColormapName as Colormap } from '../overlay/colormaps.js';
import { LAYOUTS, SHOW_MODES, type Layout, type ShowMode } from '../overlay/overlay-options.js';

export type ClassChoice = 'auto' | number | string;
// The value sets belong to the stages that use them; the CLI only parses into them.
export type { BackendChoice } from '../explain/backend.js';
export type { ColormapName as Colormap } from '../overlay/colormaps.js';
export type { ShowMode, Layout } from '../overlay/overlay-options.js';
export type Preset = 'realtime' | 'full';

/** Options shared by every command that runs the model. */
export interface ModelOptions {
  readonly model: string;
  readonly layer?: string;
  readonly classChoice: ClassChoice;
  readonly methods?: readonly string[];
  readonly groups?: readonly string[];
  readonly preset?: Preset;
  readonly maxChannels: number;
  readonly batch: number;
  readonly backend: BackendChoice;
  readonly inputRange?: '0,1' | '-1,1' | '0,255';
  readonly mean?: readonly [number, number, number];
  readonly std?: readonly [number, number, number];
  /** labels.txt: one class name per line, for any model. */
  readonly labels?: string;
  readonly topK: number;
  readonly binary: boolean;
  readonly verbose: boolean;
  readonly json: boolean;
}

export interface OverlayFlags {
  readonly colormap: Colormap;
  readonly alpha: number;
  readonly show: ShowMode;
  readonly layout: Layout;
}

export interface ExplainOptions extends ModelOptions, OverlayFlags {
  readonly input: string;
  readonly output: string;
  readonly smoothSeconds: number;
  readonly smoothMaps: number;
  readonly sceneCutThreshold?: number;
  readonly audit?: string;
  readonly auditThumbs?: string;
  readonly auditThumbsEvery: number;
  readonly stats: boolean;
  readonly maxFrames?: number;
  /** Run inference on the main thread instead of a worker thread (slower end to end; for debugging). */
  readonly inProcess: boolean;
}

export interface ImageOptions extends ModelOptions, OverlayFlags {
  readonly input: string;
  readonly output?: string;
  readonly dumpMaps?: string;
}

export interface LiveOptions extends ModelOptions, OverlayFlags {
  readonly source: string;
  readonly port: number;
  readonly host: string;
  readonly token?: string;
  readonly record?: string;
  readonly audit?: string;
  readonly realtime: boolean;
  readonly smoothSeconds: number;
  readonly smoothMaps: number;
  readonly width?: number;
  readonly height?: number;
  readonly fps?: number;
  readonly durationSeconds?: number;
}

export interface EvaluateOptions extends ModelOptions {
  readonly input: string;
  readonly groundTruth: string;
  readonly topKs: readonly number[];
  readonly road: boolean;
  readonly cre: boolean;
  readonly jsonOut?: string;
  readonly plot?: string;
  readonly smoothSeconds: number;
  readonly maxFrames?: number;
}

type Options = NonNullable<ParseArgsConfig['options']>;

const MODEL_FLAGS = {
  model: { type: 'string', short: 'm' },
  layer: { type: 'string' },
  class: { type: 'string' },
  method: { type: 'string' },
  methods: { type: 'string' },
  groups: { type: 'string' },
  preset: { type: 'string' },
  'max-channels': { type: 'string' },
  batch: { type: 'string' },
  backend: { type: 'string' },
  'input-range': { type: 'string' },
  mean: { type: 'string' },
  std: { type: 'string' },
  labels: { type: 'string' },
  'top-k': { type: 'string' },
  binary: { type: 'boolean' },
  verbose: { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies Options;

const OVERLAY_FLAGS = {
  colormap: { type: 'string' },
  alpha: { type: 'string' },
  show: { type: 'string' },
  layout: { type: 'string' },
} as const satisfies Options;

const SMOOTH_FLAGS = {
  smooth: { type: 'string' },
  'smooth-maps': { type: 'string' },
  'scene-cut': { type: 'string' },
} as const satisfies Options;

function argError(message: string): MetacamError {
  return new MetacamError('E_ARG', message);
}

function parse(argv: readonly string[], options: Options, command: string) {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new MetacamError('E_ARG', `${(e as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, '')}. See \`metacam ${command} --help\`.`, { cause: e });
  }
}

export function parseNumber(flag: string, raw: string | undefined, fallback: number, range?: { min?: number; max?: number; integer?: boolean; exclusive?: boolean }): number {
  if (raw === undefined) return fallback;
  const v = Number(raw);
  const { min = -Infinity, max = Infinity, integer = false, exclusive = false } = range ?? {};
  const inRange = exclusive ? v > min && v < max : v >= min && v <= max;
  if (raw.trim() === '' || !Number.isFinite(v) || (integer && !Number.isInteger(v)) || !inRange) {
    const bounds = exclusive ? `strictly between ${min} and ${max}` : `from ${min} to ${max}`;
    throw argError(`--${flag} must be ${integer ? 'an integer' : 'a number'} ${bounds}; got '${raw}'.`);
  }
  return v;
}

function parseList(raw: string | undefined): string[] | undefined {
  if (raw === undefined) return undefined;
  const items = raw.split(',').map((s) => s.trim()).filter(Boolean);
  return items.length ? items : undefined;
}

function parseTuple<N extends 2 | 3>(flag: string, raw: string | undefined, n: N): number[] | undefined {
  if (raw === undefined) return undefined;
  const parts = raw.split(',').map((s) => Number(s.trim()));
  if (parts.length !== n || parts.some((p) => !Number.isFinite(p))) {
    throw argError(`--${flag} takes ${n} comma-separated numbers (e.g. ${n === 2 ? '0,1' : '0.485,0.456,0.406'}); got '${raw}'.`);
  }
  return parts;
}

function oneOf<T extends string>(flag: string, raw: string | undefined, valid: readonly T[], fallback: T): T {
  if (raw === undefined) return fallback;
  if (!(valid as readonly string[]).includes(raw)) throw argError(`--${flag} must be one of ${valid.join(', ')}; got '${raw}'.`);
  return raw as T;
}

export function parseClassChoice(raw: string | undefined): ClassChoice {
  if (raw === undefined || raw === 'auto') return 'auto';
  if (/^\d+$/.test(raw)) return Number(raw);
  if (raw.trim() === '') throw argError(`--class takes 'auto', a class index or a class label.`);
  return raw; // a label: resolved against the model's labels once it is loaded
}

const INPUT_RANGES: Record<string, [number, number]> = { '0,1': [0, 1], '-1,1': [-1, 1], '0,255': [0, 255] };

function modelOptions(v: Record<string, string | boolean | undefined>, defaultModel: string, defaultPreset?: Preset): ModelOptions {
  const s = (k: string) => v[k] as string | undefined;
  if (s('method') !== undefined && s('methods') !== undefined) throw argError('Give either --method or --methods, not both.');
  const methods = parseList(s('methods') ?? s('method'));
  const groups = parseList(s('groups'));
  const presetRaw = s('preset');
  const preset = presetRaw === undefined ? (methods || groups ? undefined : defaultPreset) : oneOf('preset', presetRaw, ['realtime', 'full'] as const, 'realtime');
  if (preset && methods) throw argError('Give either --preset or --methods, not both.');
  const rangeRaw = s('input-range');
  if (rangeRaw !== undefined && !(rangeRaw in INPUT_RANGES)) throw argError(`--input-range must be one of ${Object.keys(INPUT_RANGES).join(' | ')}; got '${rangeRaw}'.`);
  return {
    model: s('model') ?? defaultModel,
    layer: s('layer'),
    classChoice: parseClassChoice(s('class')),
    methods,
    groups,
    preset,
    maxChannels: parseNumber('max-channels', s('max-channels'), 64, { min: 1, max: 1 << 16, integer: true }),
    batch: parseNumber('batch', s('batch'), 8, { min: 1, max: 256, integer: true }),
    backend: oneOf('backend', s('backend'), ['auto', 'tensorflow', 'wasm', 'cpu'] as const, 'auto'),
    inputRange: rangeRaw as ModelOptions['inputRange'],
    mean: parseTuple('mean', s('mean'), 3) as [number, number, number] | undefined,
    std: parseTuple('std', s('std'), 3) as [number, number, number] | undefined,
    labels: s('labels'),
    topK: parseNumber('top-k', s('top-k'), 10, { min: 0, max: 100, exclusive: true }),
    binary: Boolean(v.binary),
    verbose: Boolean(v.verbose),
    json: Boolean(v.json),
  };
}

function overlayFlags(v: Record<string, string | boolean | undefined>): OverlayFlags {
  const s = (k: string) => v[k] as string | undefined;
  return {
    colormap: oneOf<Colormap>('colormap', s('colormap'), COLORMAP_NAMES, 'jet'),
    alpha: parseNumber('alpha', s('alpha'), 0.5, { min: 0, max: 1 }),
    show: oneOf<ShowMode>('show', s('show'), SHOW_MODES, 'metacam'),
    layout: oneOf<Layout>('layout', s('layout'), LAYOUTS, 'single'),
  };
}

function smoothing(v: Record<string, string | boolean | undefined>) {
  const s = (k: string) => v[k] as string | undefined;
  return {
    smoothSeconds: parseNumber('smooth', s('smooth'), 0.5, { min: 0, max: 3600 }),
    smoothMaps: parseNumber('smooth-maps', s('smooth-maps'), 0, { min: 0, max: 3600 }),
    sceneCutThreshold: s('scene-cut') === undefined ? undefined : parseNumber('scene-cut', s('scene-cut'), 0, { min: 0, max: 1 }),
  };
}

function onePositional(positionals: string[], what: string, command: string): string {
  if (positionals.length === 0) throw argError(`metacam ${command} needs ${what}. See \`metacam ${command} --help\`.`);
  if (positionals.length > 1) throw argError(`metacam ${command} takes one ${what}; got ${positionals.length}: ${positionals.join(' ')}.`);
  return positionals[0]!;
}

/** True when --help/-h was given: the caller prints help instead of parsing further. */
export function wantsHelp(argv: readonly string[]): boolean {
  return argv.includes('--help') || argv.includes('-h');
}

export function parseExplainArgs(argv: readonly string[], defaults: { model: string; input?: string; output?: string } = { model: 'mobilenet-v2' }): ExplainOptions {
  const { values: v, positionals } = parse(argv, {
    ...MODEL_FLAGS, ...OVERLAY_FLAGS, ...SMOOTH_FLAGS,
    output: { type: 'string', short: 'o' },
    audit: { type: 'string' },
    'audit-thumbs': { type: 'string' },
    'audit-thumbs-every': { type: 'string' },
    stats: { type: 'boolean' },
    'max-frames': { type: 'string' },
    'in-process': { type: 'boolean' },
  }, 'explain');
  const s = (k: string) => (v as Record<string, string | undefined>)[k];
  const input = defaults.input && positionals.length === 0 ? defaults.input : onePositional(positionals, 'an input video', 'explain');
  const output = s('output') ?? defaults.output;
  if (!output) throw argError('metacam explain needs an output path: -o out.mp4.');
  if (!/\.mp4$/i.test(output)) throw argError(`The output must be an .mp4 file; got '${output}'.`);
  const vv = v as Record<string, string | boolean | undefined>;
  return {
    ...modelOptions(vv, defaults.model, 'realtime'),
    ...overlayFlags(vv),
    ...smoothing(vv),
    input,
    output,
    audit: s('audit'),
    auditThumbs: s('audit-thumbs'),
    auditThumbsEvery: parseNumber('audit-thumbs-every', s('audit-thumbs-every'), 25, { min: 1, max: 1e6, integer: true }),
    stats: Boolean(v.stats),
    inProcess: Boolean(vv['in-process']),
    maxFrames: s('max-frames') === undefined ? undefined : parseNumber('max-frames', s('max-frames'), 0, { min: 1, max: 1e9, integer: true }),
  };
}

export function parseImageArgs(argv: readonly string[]): ImageOptions {
  const { values: v, positionals } = parse(argv, {
    ...MODEL_FLAGS, ...OVERLAY_FLAGS,
    output: { type: 'string', short: 'o' },
    'dump-maps': { type: 'string' },
  }, 'image');
  const vv = v as Record<string, string | boolean | undefined>;
  return {
    ...modelOptions(vv, 'mobilenet-v2', 'realtime'),
    ...overlayFlags(vv),
    input: onePositional(positionals, 'an input image', 'image'),
    output: vv.output as string | undefined,
    dumpMaps: vv['dump-maps'] as string | undefined,
  };
}

export function parseLiveArgs(argv: readonly string[]): LiveOptions {
  const { values: v, positionals } = parse(argv, {
    ...MODEL_FLAGS, ...OVERLAY_FLAGS, ...SMOOTH_FLAGS,
    port: { type: 'string', short: 'p' },
    host: { type: 'string' },
    token: { type: 'string' },
    record: { type: 'string' },
    audit: { type: 'string' },
    realtime: { type: 'boolean' },
    size: { type: 'string' },
    fps: { type: 'string' },
    duration: { type: 'string' },
  }, 'live');
  const vv = v as Record<string, string | boolean | undefined>;
  const s = (k: string) => vv[k] as string | undefined;
  const host = s('host') ?? '127.0.0.1';
  const token = s('token');
  const loopback = host === '127.0.0.1' || host === '::1' || host === 'localhost';
  if (!loopback && !token) throw argError(`--host ${host} exposes the preview beyond this machine: give --token <secret> too.`);
  let width: number | undefined;
  let height: number | undefined;
  if (s('size') !== undefined) {
    const m = /^(\d+)x(\d+)$/.exec(s('size')!);
    if (!m) throw argError(`--size takes WIDTHxHEIGHT, e.g. 640x480; got '${s('size')}'.`);
    width = Number(m[1]);
    height = Number(m[2]);
  }
  return {
    ...modelOptions(vv, 'mobilenet-v2', 'realtime'),
    ...overlayFlags(vv),
    ...smoothing(vv),
    source: onePositional(positionals, 'a source (testsrc, /dev/video0, rtsp://…, http://…, or a file)', 'live'),
    port: parseNumber('port', s('port'), 8080, { min: 0, max: 65535, integer: true }),
    host,
    token,
    record: s('record'),
    audit: s('audit'),
    realtime: Boolean(vv.realtime),
    width,
    height,
    fps: s('fps') === undefined ? undefined : parseNumber('fps', s('fps'), 25, { min: 1, max: 240 }),
    durationSeconds: s('duration') === undefined ? undefined : parseNumber('duration', s('duration'), 0, { min: 0.1, max: 1e7 }),
  };
}

export function parseEvaluateArgs(argv: readonly string[]): EvaluateOptions {
  const { values: v, positionals } = parse(argv, {
    ...MODEL_FLAGS,
    smooth: { type: 'string' },
    'ground-truth': { type: 'string', short: 'g' },
    road: { type: 'boolean' },
    cre: { type: 'boolean' },
    json: { type: 'string' },
    plot: { type: 'string' },
    'max-frames': { type: 'string' },
  }, 'evaluate');
  const vv = v as Record<string, string | boolean | undefined>;
  const s = (k: string) => vv[k] as string | undefined;
  const gt = s('ground-truth');
  if (!gt) throw argError('metacam evaluate needs --ground-truth <clip.gt.jsonl>.');
  const ks = (parseList(s('top-k')) ?? ['5', '10', '20', '30']).map((k) => parseNumber('top-k', k, 10, { min: 0, max: 100, exclusive: true }));
  const { ['top-k']: _k, json: _j, ...rest } = vv;
  return {
    ...modelOptions(rest, 'shapes', undefined),
    input: onePositional(positionals, 'a clip', 'evaluate'),
    groundTruth: gt,
    topKs: ks,
    road: Boolean(vv.road),
    cre: Boolean(vv.cre),
    jsonOut: s('json'),
    plot: s('plot'),
    smoothSeconds: parseNumber('smooth', s('smooth'), 0.5, { min: 0, max: 3600 }),
    maxFrames: s('max-frames') === undefined ? undefined : parseNumber('max-frames', s('max-frames'), 0, { min: 1, max: 1e9, integer: true }),
  };
}
