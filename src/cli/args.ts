/**
 * Command-line flags → the stages' own settings types. Pure: no I/O, so every rule is unit-tested. The defaults,
 * value lists and ranges come from the stage that owns each option (explain/model-settings.ts,
 * metacam/metacam-settings.ts, overlay/overlay-options.ts); errors here name the flag and what it accepts.
 */
import {
  argError, oneOf, onePositional, parse, parseList, parseNumber, parseTuple, wantsHelp, type FlagOptions,
} from './flag-parsing.js';
import {
  BACKEND_CHOICES, DEFAULT_MODEL_SETTINGS, INPUT_RANGES, MODEL_RANGES, PRESET_NAMES, TARGET_KINDS,
  type ClassChoice, type ModelSettings, type Preset,
} from '../explain/model/model-settings.js';
import { CONSENSUS_RULES, DEFAULT_METACAM_SETTINGS, METACAM_RANGES, type MetaCamSettings } from '../metacam/metacam-settings.js';
import { MAP_MOTIONS, type MapMotion } from '../metacam/map-smoother.js';
import { COLORMAP_NAMES } from '../overlay/colormaps.js';
import { checkProfileFlags, EVALUATE_PROFILE_FIXED_FLAGS, PROFILE_FIXED_FLAGS, type ProfileFlag } from './profile-flags.js';
import { ALPHA_RANGE, DEFAULT_OVERLAY_OPTIONS, LAYOUTS, SHOW_MODES, type OverlayOptions } from '../overlay/overlay-options.js';
import { outDirRuns, type ExplainRun } from '../pipeline/out-dir-runs.js';
import { queueFlags } from './queue-args.js';

export type { ClassChoice, ModelSettings, Preset } from '../explain/model/model-settings.js';
export type { MetaCamSettings } from '../metacam/metacam-settings.js';
export { parseNumber, wantsHelp };
export { parseQueueArgs, parseWorkerArgs, type QueueOptions, type WorkerOptions } from './queue-args.js';

/** Flags every command that runs the model shares. */
export interface CommonFlags {
  readonly verbose: boolean;
  readonly json: boolean;
}

/** The overlay's look, as the flags give it. */
export type OverlayFlags = Pick<OverlayOptions, 'colormap' | 'alpha' | 'show' | 'layout'>;

/** What every model-running command parses: the model settings, top-k and binary, and the common flags. */
export interface ModelOptions extends ModelSettings, Pick<MetaCamSettings, 'topK' | 'binary' | 'consensus' | 'weights'>, CommonFlags, ProfileFlag {}

export interface ExplainOptions extends ModelSettings, MetaCamSettings, OverlayFlags, CommonFlags, ProfileFlag {
  /** The run: the only one without --out-dir; with it, the first of `runs`. */
  readonly input: string;
  readonly output: string;
  readonly audit?: string;
  /** `--out-dir d` (one or several inputs): every input's run, `d/<name>.mp4` + `d/<name>.audit.jsonl`. */
  readonly outDir?: string;
  readonly runs?: readonly ExplainRun[];
  readonly auditThumbs?: string;
  readonly auditThumbsEvery: number;
  readonly stats: boolean;
  readonly maxFrames?: number;
  /** Run inference on the main thread instead of a worker thread (slower end to end; for debugging). */
  readonly inProcess: boolean;
  /** `--queue redis://…`: explain in segments on `metacam worker`s through BullMQ (src/queue). */
  readonly queue?: string;
  /** `--segment-seconds`: segment length for --queue. */
  readonly segmentSeconds?: number;
}

export interface ImageOptions extends ModelOptions, OverlayFlags {
  readonly input: string;
  readonly output?: string;
  readonly dumpMaps?: string;
}

export interface LiveOptions extends ModelSettings, MetaCamSettings, OverlayFlags, CommonFlags, ProfileFlag {
  readonly source: string;
  readonly port: number;
  readonly host: string;
  readonly token?: string;
  readonly record?: string;
  readonly audit?: string;
  readonly realtime: boolean;
  readonly width?: number;
  readonly height?: number;
  readonly fps?: number;
  readonly durationSeconds?: number;
}

export interface EvaluateOptions extends ModelOptions {
  readonly input: string;
  /** Optional: without it only the box-free metrics are scored, for each frame's predicted class. */
  readonly groundTruth?: string;
  readonly topKs: readonly number[];
  readonly road: boolean;
  readonly cre: boolean;
  readonly jsonOut?: string;
  readonly plot?: string;
  /** Temporal smoothing of MetaCAM's streamed ("…Smoothed") scores, as `explain` does it. */
  readonly smoothSeconds: number;
  readonly hysteresis: number;
  readonly smoothMaps: number;
  readonly mapMotion: MapMotion;
  readonly sceneCutThreshold: number;
  readonly maxFrames?: number;
}

type Options = FlagOptions;

export const MODEL_FLAGS = {
  model: { type: 'string', short: 'm' },
  layer: { type: 'string' },
  class: { type: 'string' },
  method: { type: 'string' },
  methods: { type: 'string' },
  groups: { type: 'string' },
  preset: { type: 'string' },
  'max-channels': { type: 'string' },
  target: { type: 'string' },
  'aug-smooth': { type: 'boolean' },
  'eigen-smooth': { type: 'boolean' },
  batch: { type: 'string' },
  backend: { type: 'string' },
  'input-range': { type: 'string' },
  mean: { type: 'string' },
  std: { type: 'string' },
  labels: { type: 'string' },
  'top-k': { type: 'string' },
  binary: { type: 'boolean' },
  consensus: { type: 'string' },
  profile: { type: 'string' },
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
  hysteresis: { type: 'string' },
  'smooth-maps': { type: 'string' },
  'map-motion': { type: 'string' },
  'scene-cut': { type: 'string' },
} as const satisfies Options;

export function parseClassChoice(raw: string | undefined): ClassChoice {
  if (raw === undefined || raw === 'auto') return 'auto';
  if (/^\d+$/.test(raw)) return Number(raw);
  if (raw.trim() === '') throw argError(`--class takes 'auto', a class index or a class label.`);
  return raw; // a label: resolved against the model's labels once it is loaded
}

/** `--layer a,b,c`: c is the target layer of every member, a and b are RefineCAM's extra layers. */
function parseLayers(raw: string | undefined): { layer?: string; extraLayers?: string[] } {
  const names = parseList(raw);
  if (raw !== undefined && !names) throw argError(`--layer takes a layer name, or several separated by commas (RefineCAM); got '${raw}'.`);
  if (!names) return {};
  return names.length === 1 ? { layer: names[0] } : { layer: names[names.length - 1], extraLayers: names.slice(0, -1) };
}

export function modelOptions(v: Record<string, string | boolean | undefined>, defaultModel: string, defaultPreset?: Preset, fixedByProfile: readonly string[] = PROFILE_FIXED_FLAGS): ModelOptions {
  const s = (k: string) => v[k] as string | undefined;
  checkProfileFlags(v, fixedByProfile);
  if (s('method') !== undefined && s('methods') !== undefined) throw argError('Give either --method or --methods, not both.');
  const methods = parseList(s('methods') ?? s('method'));
  const groups = parseList(s('groups'));
  const presetRaw = s('preset');
  const preset = presetRaw === undefined ? (methods || groups ? undefined : defaultPreset) : oneOf('preset', presetRaw, PRESET_NAMES, 'realtime');
  if (preset && methods) throw argError('Give either --preset or --methods, not both.');
  const d = DEFAULT_MODEL_SETTINGS;
  return {
    model: s('model') ?? defaultModel,
    ...parseLayers(s('layer')),
    classChoice: parseClassChoice(s('class')),
    methods,
    groups,
    preset,
    maxChannels: parseNumber('max-channels', s('max-channels'), d.maxChannels, MODEL_RANGES.maxChannels),
    target: s('target') === undefined ? undefined : oneOf('target', s('target'), TARGET_KINDS, 'logit'),
    augSmooth: v['aug-smooth'] ? true : undefined,
    eigenSmooth: v['eigen-smooth'] ? true : undefined,
    batch: parseNumber('batch', s('batch'), d.batch, MODEL_RANGES.batch),
    backend: oneOf('backend', s('backend'), BACKEND_CHOICES, d.backend),
    inputRange: s('input-range') === undefined ? undefined : oneOf('input-range', s('input-range'), INPUT_RANGES, '0,1'),
    mean: parseTuple('mean', s('mean'), 3) as [number, number, number] | undefined,
    std: parseTuple('std', s('std'), 3) as [number, number, number] | undefined,
    labels: s('labels'),
    topK: parseNumber('top-k', s('top-k'), DEFAULT_METACAM_SETTINGS.topK, METACAM_RANGES.topK),
    binary: Boolean(v.binary),
    consensus: oneOf('consensus', s('consensus'), CONSENSUS_RULES, DEFAULT_METACAM_SETTINGS.consensus),
    ...(s('profile') === undefined ? {} : { profile: s('profile') }),
    verbose: Boolean(v.verbose),
    json: Boolean(v.json),
  };
}

function overlayFlags(v: Record<string, string | boolean | undefined>): OverlayFlags {
  const s = (k: string) => v[k] as string | undefined;
  const d = DEFAULT_OVERLAY_OPTIONS;
  return {
    colormap: oneOf('colormap', s('colormap'), COLORMAP_NAMES, d.colormap),
    alpha: parseNumber('alpha', s('alpha'), d.alpha, ALPHA_RANGE),
    show: oneOf('show', s('show'), SHOW_MODES, d.show),
    layout: oneOf('layout', s('layout'), LAYOUTS, d.layout),
  };
}

function smoothing(v: Record<string, string | boolean | undefined>): Pick<MetaCamSettings, 'smoothSeconds' | 'hysteresis' | 'smoothMaps' | 'mapMotion' | 'sceneCutThreshold'> {
  const s = (k: string) => v[k] as string | undefined;
  const d = DEFAULT_METACAM_SETTINGS;
  return {
    smoothSeconds: parseNumber('smooth', s('smooth'), d.smoothSeconds, METACAM_RANGES.smoothSeconds),
    hysteresis: parseNumber('hysteresis', s('hysteresis'), d.hysteresis, METACAM_RANGES.hysteresis),
    smoothMaps: parseNumber('smooth-maps', s('smooth-maps'), d.smoothMaps, METACAM_RANGES.smoothMaps),
    mapMotion: oneOf('map-motion', s('map-motion'), MAP_MOTIONS, d.mapMotion),
    sceneCutThreshold: parseNumber('scene-cut', s('scene-cut'), d.sceneCutThreshold, METACAM_RANGES.sceneCutThreshold),
  };
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
    queue: { type: 'string' },
    'segment-seconds': { type: 'string' },
    'out-dir': { type: 'string' },
  }, 'explain');
  const s = (k: string) => (v as Record<string, string | undefined>)[k];
  const { input, output, audit, outDir, runs } = explainTargets(positionals, s, defaults);
  const vv = v as Record<string, string | boolean | undefined>;
  return {
    ...modelOptions(vv, defaults.model, 'realtime'),
    ...overlayFlags(vv),
    ...smoothing(vv),
    input,
    output,
    audit,
    ...(outDir !== undefined ? { outDir, runs } : {}),
    auditThumbs: s('audit-thumbs'),
    auditThumbsEvery: parseNumber('audit-thumbs-every', s('audit-thumbs-every'), 25, { min: 1, max: 1e6, integer: true }),
    stats: Boolean(v.stats),
    inProcess: Boolean(vv['in-process']),
    maxFrames: s('max-frames') === undefined ? undefined : parseNumber('max-frames', s('max-frames'), 0, { min: 1, max: 1e9, integer: true }),
    ...queueFlags(s),
  };
}

/** The inputs and where their results go: `in.mp4 -o out.mp4`, or `a.mp4 b.mp4 … --out-dir d`. */
function explainTargets(
  positionals: readonly string[], s: (k: string) => string | undefined, defaults: { input?: string; output?: string },
): Pick<ExplainOptions, 'input' | 'output' | 'audit' | 'outDir' | 'runs'> {
  const outDir = s('out-dir');
  if (outDir === undefined) {
    if (positionals.length > 1) throw argError(`Several inputs (${positionals.join(' ')}) need --out-dir DIR: each writes DIR/<name>.mp4 and DIR/<name>.audit.jsonl.`);
    const input = defaults.input && positionals.length === 0 ? defaults.input : onePositional([...positionals], 'an input video', 'explain');
    const output = s('output') ?? defaults.output;
    if (!output) throw argError('metacam explain needs an output path: -o out.mp4 (or --out-dir DIR).');
    if (!/\.mp4$/i.test(output)) throw argError(`The output must be an .mp4 file; got '${output}'.`);
    return { input, output, audit: s('audit') };
  }
  if (outDir.trim() === '') throw argError('--out-dir needs a folder.');
  if (s('output') !== undefined) {
    throw argError(positionals.length > 1
      ? `-o names one output; several inputs write to --out-dir ${outDir} (DIR/<name>.mp4). Drop -o.`
      : 'Give either -o out.mp4 or --out-dir DIR, not both.');
  }
  if (s('audit') !== undefined) throw argError(`--audit names one log; with --out-dir each input's log is ${outDir}/<name>.audit.jsonl. Drop --audit.`);
  if (s('audit-thumbs') !== undefined) throw argError('--audit-thumbs cannot be combined with --out-dir (one thumbnail folder per run): explain those inputs one at a time with -o.');
  const inputs = positionals.length === 0 && defaults.input ? [defaults.input] : positionals;
  if (inputs.length === 0) throw argError('metacam explain needs an input video. See `metacam explain --help`.');
  const runs = outDirRuns(inputs, outDir);
  return { input: runs[0]!.input, output: runs[0]!.output, audit: runs[0]!.audit, outDir, runs };
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
    ...MODEL_FLAGS, ...SMOOTH_FLAGS,
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
  const ks = (parseList(s('top-k')) ?? ['5', '10', '20', '30']).map((k) => parseNumber('top-k', k, DEFAULT_METACAM_SETTINGS.topK, METACAM_RANGES.topK));
  const { ['top-k']: _k, json: _j, ...rest } = vv;
  return {
    ...modelOptions(rest, 'shapes', undefined, EVALUATE_PROFILE_FIXED_FLAGS),
    input: onePositional(positionals, 'a clip', 'evaluate'),
    groundTruth: gt,
    topKs: ks,
    road: Boolean(vv.road),
    cre: Boolean(vv.cre),
    jsonOut: s('json'),
    plot: s('plot'),
    ...smoothing(vv),
    maxFrames: s('max-frames') === undefined ? undefined : parseNumber('max-frames', s('max-frames'), 0, { min: 1, max: 1e9, integer: true }),
  };
}
