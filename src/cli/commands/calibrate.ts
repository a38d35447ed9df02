/**
 * `metacam calibrate <clip> [-g gt.jsonl] -m <model> [--preset full|--methods …|--groups …] [--top-k 10]
 * [--road-protocol fair|pgc] [--frames N] -o profile.json [--json]`: scores MetaCAM from every non-empty subset of
 * the method groups on a calibration clip (src/evaluate/calibrate.ts) and writes the profile that `--profile`
 * reads. Inputs are checked before the model is loaded.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { MODEL_FLAGS, modelOptions, type ModelOptions } from '../args.js';
import { argError, onePositional, parse, parseNumber, wantsHelp } from '../flag-parsing.js';
import { calibrateHelp } from '../help.js';
import { createProgress } from '../progress.js';
import { interruptSignal } from '../interrupt.js';
import { checkInputFile } from '../../ingest/check-input.js';
import { openSession } from '../../pipeline/session.js';
import { readEvaluationTargets } from '../../evaluate/evaluation-targets.js';
import { CALIBRATION_DEFAULTS, runCalibration, type CalibrationResult } from '../../evaluate/calibrate.js';
import { calibrationProfile } from '../../evaluate/calibration-profile.js';
import { checkRoadProtocol, type RoadProtocol } from '../../evaluate/road-protocol.js';
import { METACAM_RANGES } from '../../metacam/metacam-settings.js';
import { MetacamError } from '../../errors.js';
import type { Io } from '../main.js';
import { runnableDefaultMembers } from './evaluate.js';

export interface CalibrateOptions extends ModelOptions {
  readonly input: string;
  readonly groundTruth?: string;
  readonly output: string;
  readonly frames: number;
  readonly roadProtocol: RoadProtocol;
  /** True when no --methods/--groups/--preset was given (the full preset by default). */
  readonly defaultMembers: boolean;
}

export function parseCalibrateArgs(argv: readonly string[]): CalibrateOptions {
  const { values, positionals } = parse(argv, {
    ...MODEL_FLAGS,
    'ground-truth': { type: 'string', short: 'g' },
    output: { type: 'string', short: 'o' },
    frames: { type: 'string' },
    'road-protocol': { type: 'string' },
  }, 'calibrate');
  const v = values as Record<string, string | boolean | undefined>;
  const s = (k: string) => v[k] as string | undefined;
  if (s('profile') !== undefined) throw argError('metacam calibrate writes a profile (-o profile.json); it does not take --profile.');
  if (s('consensus') !== undefined) throw argError('metacam calibrate chooses the members of a weighted consensus; it does not take --consensus.');
  const output = s('output');
  if (!output) throw argError('metacam calibrate needs an output path for the profile: -o profile.json.');
  const opts = modelOptions(v, 'shapes', undefined);
  const preset = !opts.methods?.length && !opts.groups?.length && !opts.preset ? 'full' : opts.preset;
  return {
    ...opts,
    preset,
    topK: parseNumber('top-k', s('top-k'), CALIBRATION_DEFAULTS.topK, METACAM_RANGES.topK),
    input: onePositional(positionals, 'a calibration clip', 'calibrate'),
    groundTruth: s('ground-truth'),
    output,
    frames: parseNumber('frames', s('frames'), CALIBRATION_DEFAULTS.frames, { min: 1, max: 1e6, integer: true }),
    roadProtocol: s('road-protocol') === undefined ? CALIBRATION_DEFAULTS.roadProtocol : checkRoadProtocol(s('road-protocol')!),
    defaultMembers: preset !== opts.preset,
  };
}

const fmt = (v: number | undefined, ci?: readonly [number, number]): string =>
  v === undefined ? '—' : `${v.toFixed(3)}${ci ? ` [${ci[0].toFixed(3)}, ${ci[1].toFixed(3)}]` : ''}`;

/** The subsets ranked as the choice ranks them (top 10), the best single members, and CRE. */
export function formatCalibration(r: CalibrationResult): string {
  const key = (x: { road: number; pointingGame?: number }) => (r.primary === 'road' ? x.road : x.pointingGame ?? 0);
  const ranked = r.subsets.map((s, i) => ({ ...s, i })).sort((a, b) => key(b) - key(a) || b.road - a.road || a.members.length - b.members.length);
  const lines = [
    `calibration: ${r.frames.length} frames, k = ${r.topK}, ROAD protocol ${r.protocol}, ${r.subsets.length} subsets of ${r.groups.join(', ')}; primary score ${r.primary}`,
    '', 'rank  subset (groups)                                 PG [95% CI]              ROAD [95% CI]',
    ...ranked.slice(0, 10).map((s, n) => `${String(n + 1).padStart(4)}  ${s.groups.join('+').padEnd(46)}  ${fmt(s.pointingGame, s.pointingGameCi).padEnd(23)}  ${fmt(s.road, s.roadCi)}${s.i === r.chosen.index ? '  ← chosen' : ''}`),
    '', 'single members (PG on the raw map, ROAD on the thresholded one):',
    ...r.singles.map((m) => `      ${m.id.padEnd(46)}  ${fmt(m.pointingGame, m.pointingGameCi).padEnd(23)}  ${fmt(m.road, m.roadCi)}`),
    '', `CRE (ROAD, median ${r.cre.median.toFixed(4)}): ${Object.entries(r.cre.byGroup).map(([g, v]) => `${g} ${v >= 0 ? '+' : ''}${v.toFixed(4)}`).join(', ')}`,
    `chosen: {${r.chosen.groups.join(', ')}} → members ${r.chosen.members.join(', ')} (weight 1 each)`,
    `time: ${r.timings.total.toFixed(1)} s (explain ${r.timings.explain.toFixed(1)} s, ROAD ${r.timings.road.toFixed(1)} s)`,
  ];
  return lines.join('\n');
}

/** The calibration's result, or undefined when Ctrl-C stopped it (no partial profile is written). */
async function runCalibrationOrStop<T>(run: () => Promise<T>, onStop: () => void): Promise<T | undefined> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof MetacamError && e.code === 'E_INTERRUPTED') {
      onStop();
      return undefined;
    }
    throw e;
  }
}

export async function calibrateCommand(argv: string[], io: Io): Promise<number> {
  if (wantsHelp(argv)) {
    io.stdout.write(`${calibrateHelp()}\n`);
    return 0;
  }
  const opts = parseCalibrateArgs(argv);
  await checkInputFile(opts.input);
  const targets = opts.groundTruth === undefined ? undefined : await readEvaluationTargets(opts.groundTruth);
  const opened = await openSession(opts);
  const interrupt = interruptSignal();
  try {
    const { session, left } = opts.defaultMembers ? runnableDefaultMembers(opened) : { session: opened, left: [] };
    if (left.length) io.stderr.write(`metacam calibrate: leaving out ${left.join(', ')}: backend ${session.backend.name} computes the max-pool gradient wrongly for this model\n`);
    io.stderr.write(`metacam calibrate: model ${session.model.id}, layer ${session.explainer.layer}, backend ${session.backend.name}, members ${session.members.map((m) => m.id).join(',')}\n`);
    let progress: ReturnType<typeof createProgress> | undefined;
    const result = await runCalibrationOrStop(() => runCalibration(session, {
      input: opts.input, groundTruth: opts.groundTruth, targets, topK: opts.topK, binary: opts.binary,
      roadProtocol: opts.roadProtocol, frames: opts.frames, signal: interrupt.signal,
    }, ({ done, total }) => {
      progress ??= opts.json ? undefined : createProgress(io.stderr, total, { label: 'calibrate' });
      progress?.update(done);
    }), () => progress?.finish());
    if (!result) {
      io.stderr.write('metacam calibrate: interrupted; no profile written\n');
      return 130;
    }
    progress?.finish();
    const profile = await calibrationProfile(result, { clip: opts.input, model: session.model });
    try {
      await mkdir(dirname(opts.output), { recursive: true });
      await writeFile(opts.output, `${JSON.stringify(profile, null, 2)}\n`);
    } catch (e) {
      throw new MetacamError('E_OUTPUT_WRITE', `cannot write ${opts.output}: ${(e as Error).message}. Check the folder exists and is writable.`, { cause: e });
    }
    if (opts.json) io.stdout.write(`${JSON.stringify({ output: opts.output, chosen: result.chosen, timings: result.timings })}\n`);
    else io.stdout.write(`${formatCalibration(result)}\nwrote ${opts.output}\n`);
    return 0;
  } finally {
    interrupt.dispose();
    opened.dispose();
  }
}
