/**
 * `metacam evaluate <clip> [--ground-truth <gt.jsonl>] [--top-k 5,10,20,30] [--road [--road-frames N]
 * [--road-protocol fair|pgc]] [--cre [--cre-frames N]] [--json out.json] [--plot out.svg]`: scores every member
 * and MetaCAM (src/evaluate/run-evaluation.ts) — against the ground-truth boxes when given, with the box-free
 * metrics only otherwise — and prints tables with bootstrap intervals. Inputs are checked before the model is
 * loaded, so a wrong path fails in milliseconds with a typed error. Members default to all 11 methods
 * (`--preset full`): the point is to compare MetaCAM with every member.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parseEvaluateArgs, parseNumber, wantsHelp, type EvaluateOptions } from '../args.js';
import { createProgress } from '../progress.js';
import { interruptSignal } from '../interrupt.js';
import { checkInputFile } from '../../ingest/check-input.js';
import { openSession, type Session } from '../../pipeline/session.js';
import { maxPoolGradIsSound } from '../../explain/backend/kernel-soundness.js';
import { readEvaluationTargets } from '../../evaluate/evaluation-targets.js';
import { EVALUATION_DEFAULTS, runEvaluation, type EvaluationResult } from '../../evaluate/run-evaluation.js';
import { checkRoadProtocol, ROAD_PROTOCOLS, type RoadProtocol } from '../../evaluate/road-protocol.js';
import { formatEvaluationTable } from '../../evaluate/format-table.js';
import { renderEvaluationPlot } from '../../evaluate/render-plot.js';
import { MetacamError } from '../../errors.js';
import { isModelRuntime } from '../../explain/model/model-runtime.js';
import { getMethod } from '../../explain/methods/index.js';
import type { Io } from '../main.js';
import { profileRef, readProfileFlag, withProfile } from '../profile-flags.js';
import { checkProfileModel } from '../../metacam/profile.js';

export const EVALUATE_DEFAULTS = { creFrames: EVALUATION_DEFAULTS.creFrames, roadProtocol: EVALUATION_DEFAULTS.roadProtocol } as const;

export function evaluateHelp(): string {
  return `Usage: metacam evaluate <clip> [--ground-truth <clip.gt.jsonl>] [options]

With ground truth: explains every frame of the clip for the class of its target object and scores every method
and MetaCAM against the target's box, at each k. Without: explains every frame for the model's predicted class
and scores what needs no box (flicker, temporal r, sparseness, and with --road the perturbation metrics).
Every mean comes with a seeded 95 % bootstrap interval over frames (see docs/metacam.md, "Evaluation metrics").

  -g, --ground-truth <file>   JSON Lines: {"frame", "pts", "objects": [{"class", "label", "bbox": [x0,y0,x1,y1],
                              "target": true|false}]} (bbox in clip pixels); the target object is explained
  --top-k <k,…>               thresholds to evaluate, in % (default 5,10,20,30)
  --road                      the perturbation metrics, on the thresholded and the raw maps: ROAD-combined (Noisy
                              Linear Imputation, 20/40/60/80 % removed), Average Drop / Increase in Confidence,
                              deletion / insertion AUC
  --road-frames <N>           frames scored by them, evenly spaced (default: every scored frame, at most 40)
  --road-protocol <p>         ${ROAD_PROTOCOLS.join(' | ')} (default ${EVALUATE_DEFAULTS.roadProtocol}): fair removes exactly p % with ties in a
                              seeded random order; pgc is pytorch-grad-cam's rule (keep map < percentile, ties
                              removed together: a thresholded map loses every pixel under MoRF)
  --cre                       Cumulative Residual Effect of each method group (MetaCAM from every subset of groups,
                              scored by ROAD at k = 10, or the first k when 10 is not listed)
  --cre-frames <N>            frames scored for CRE, evenly spaced (default ${EVALUATE_DEFAULTS.creFrames})
  --smooth <seconds>          threshold smoothing of the streamed MetaCAM ("…Smoothed" scores; default as explain)
  --hysteresis <0..0.9>       region hysteresis of the streamed MetaCAM (default as explain)
  --smooth-maps <seconds>     consensus-map smoothing of the streamed MetaCAM (default as explain)
  --map-motion follow|static  whether that map smoothing follows motion (default as explain)
  --scene-cut <0..1>          scene-cut distance of the streamed MetaCAM (default as explain)
  --consensus sum|group       MetaCAM's consensus rule, per frame and streamed (default sum, as explain)
  --profile <profile.json>    MetaCAM from a calibration profile (\`metacam calibrate\`): its members' weights
                              (consensus weighted), k (unless --top-k is given) and layer; the members scored
                              beside it are still chosen by --methods/--groups/--preset (default all)
  --max-frames <N>            evaluate only the first N frames
  --json <file>               write the results as JSON   --plot <file.svg>   box metrics vs k (needs -g)
  -m, --model <name|path>     default: shapes (the testbed classifier)
  --methods / --groups / --preset   members (default: all 11 methods, --preset full, plus the random
                                    baseline, scored as the floor and never fused)
  --max-channels <N>, --batch <N>, --backend <name>, --binary, --layer <name>   as for \`metacam explain\`

Table columns: PG pointing game, EiB energy-in-box, IoU of the region with the box, Flk flicker (mean 1 − IoU of
consecutive regions), r (Pearson r of consecutive maps), Gini sparseness; ROAD, AvgDrop, IncConf, Del, Ins.
JSON: {"frames", "k", "results": {"<method>|metacam": {"<k>": {"<metric>": mean, "<metric>Ci": [lo, hi], …}}},
"cre"?, "modelAccuracy"?, "roadProtocol"?, …}; metrics: pointingGame, energyInBox, iou (with ground truth),
flicker, temporalR, sparseness, road, averageDrop, increaseInConfidence, deletionAuc, insertionAuc, and
<metric>Raw for those also scored on the raw map; MetaCAM's entries add "flickerSmoothed" and
"pointingGameSmoothed" (MetaCAM streamed with --smooth and --smooth-maps, as \`metacam explain\` draws it);
"flicker" and "pointingGame" are without smoothing.
Exit codes: 0 ok, 2 bad arguments or input, 1 internal failure,
130 interrupted (the partial results are still printed and written).`;
}

/** Removes `--name V` / `--name=V` from argv (flags this command adds on top of parseEvaluateArgs). */
export function takeFlag(argv: readonly string[], name: string, example: string): { raw?: string; rest: string[] } {
  const rest: string[] = [];
  let raw: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === `--${name}`) {
      raw = argv[i + 1];
      if (raw === undefined || raw.startsWith('--')) throw new MetacamError('E_ARG', `--${name} needs a value, e.g. --${name} ${example}.`);
      i++;
    } else if (a.startsWith(`--${name}=`)) {
      raw = a.slice(name.length + 3);
    } else {
      rest.push(a);
    }
  }
  return { raw, rest };
}

const frameCount = (name: string, raw: string | undefined): number | undefined =>
  raw === undefined ? undefined : parseNumber(name, raw, 1, { min: 1, max: 1e6, integer: true });

export interface EvaluateCommandOptions extends EvaluateOptions {
  /** Undefined: every scored frame, at most EVALUATION_DEFAULTS.roadFrames. */
  readonly roadFrames?: number;
  readonly creFrames: number;
  readonly roadProtocol: RoadProtocol;
  /** True when no --methods/--groups/--preset was given (all 11 methods by default). */
  readonly defaultMembers: boolean;
}

export function parseEvaluateCommandArgs(argv: readonly string[]): EvaluateCommandOptions {
  const road = takeFlag(argv, 'road-frames', '32');
  const cre = takeFlag(road.rest, 'cre-frames', String(EVALUATE_DEFAULTS.creFrames));
  const protocol = takeFlag(cre.rest, 'road-protocol', 'pgc');
  const opts = parseEvaluateArgs(protocol.rest);
  if (opts.plot && opts.groundTruth === undefined) {
    throw new MetacamError('E_ARG', '--plot draws the box metrics (pointing game, energy-in-box, IoU) and needs --ground-truth <clip.gt.jsonl>.');
  }
  const preset = !opts.methods?.length && !opts.groups?.length && !opts.preset ? 'full' : opts.preset;
  return {
    ...opts, preset,
    roadFrames: frameCount('road-frames', road.raw),
    creFrames: frameCount('cre-frames', cre.raw) ?? EVALUATE_DEFAULTS.creFrames,
    roadProtocol: protocol.raw === undefined ? EVALUATE_DEFAULTS.roadProtocol : checkRoadProtocol(protocol.raw),
    defaultMembers: preset !== opts.preset,
  };
}

/**
 * With the default members, a method the backend cannot compute correctly is left out with a note instead of
 * failing the whole run: FullGrad differentiates through every layer, and a backend whose MaxPoolGrad is
 * unsound (wasm 4.22, see kernel-soundness.ts) would give it a wrong map. Explicit selections are not altered:
 * they fail with the E_BACKEND error that says what to do.
 */
export function runnableDefaultMembers(session: Session): { session: Session; left: string[] } {
  const m = session.engine?.model.model;
  const hasMaxPool = !m ? false : isModelRuntime(m) ? (m.inspect().ops.MaxPool ?? 0) > 0 : m.layers.some((l) => l.getClassName() === 'MaxPooling2D');
  if (!hasMaxPool || maxPoolGradIsSound()) return { session, left: [] };
  const left = session.members.filter((m) => m.fullBackprop).map((m) => m.id);
  if (left.length === 0) return { session, left };
  return { session: { ...session, members: session.members.filter((m) => !m.fullBackprop) }, left };
}

/**
 * With the default members, the Random-CAM baseline is scored too (never fused: frame-stage's fusedMembers), so
 * every metric has a floor to read the members against.
 */
export function withBaseline(r: { session: Session; left: string[] }): { session: Session; left: string[] } {
  if (r.session.members.some((m) => m.id === 'random')) return r;
  return { ...r, session: { ...r.session, members: [...r.session.members, getMethod('random')] } };
}

/** The JSON file: the shape first, then provenance. */
export function evaluationJson(r: EvaluationResult, opts: Pick<EvaluateCommandOptions, 'input' | 'groundTruth'>): unknown {
  return {
    frames: r.frames,
    k: r.k,
    results: r.results,
    ...(r.cre ? { cre: r.cre } : {}),
    ...(r.modelAccuracy === undefined ? {} : { modelAccuracy: r.modelAccuracy }),
    ...(r.creReport ? { creReport: r.creReport } : {}),
    ...(r.roadFrames ? { roadFrames: r.roadFrames, roadProtocol: r.roadProtocol } : {}),
    ciLevel: r.ciLevel,
    smoothSeconds: r.smoothSeconds,
    hysteresis: r.hysteresis,
    smoothMaps: r.smoothMaps,
    mapMotion: r.mapMotion,
    consensus: r.consensus,
    input: opts.input,
    groundTruth: opts.groundTruth ?? null,
    model: r.model,
    layer: r.layer,
    members: r.members,
    merged: r.merged,
    groups: r.groups,
    interrupted: r.interrupted,
    timings: r.timings,
  };
}

async function writeOutput(path: string, text: string): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text);
  } catch (e) {
    throw new MetacamError('E_OUTPUT_WRITE', `cannot write ${path}: ${(e as Error).message}. Check the folder exists and is writable.`, { cause: e });
  }
}

export async function evaluateCommand(argv: string[], io: Io): Promise<number> {
  if (wantsHelp(argv)) {
    io.stdout.write(`${evaluateHelp()}\n`);
    return 0;
  }
  const parsed = parseEvaluateCommandArgs(argv);
  const profile = await readProfileFlag(parsed.profile);
  // A profile fixes one k; the --top-k list still applies when given (the weights then apply at each k).
  const topKGiven = argv.some((a) => a === '--top-k' || a.startsWith('--top-k='));
  const opts = profile ? { ...withProfile(parsed, profile, true), topKs: topKGiven ? parsed.topKs : [profile.profile.topK] } : parsed;
  await checkInputFile(opts.input);
  const targets = opts.groundTruth === undefined ? undefined : await readEvaluationTargets(opts.groundTruth);
  const opened = await openSession(opts);
  const interrupt = interruptSignal();
  try {
    if (profile) checkProfileModel(profile, opened.model);
    const { session, left } = opts.defaultMembers ? withBaseline(runnableDefaultMembers(opened)) : { session: opened, left: [] };
    const absent = profile?.profile.members.filter((id) => !session.members.some((m) => m.id === id)) ?? [];
    if (absent.length) throw new MetacamError('E_ARG', `the profile's members ${absent.join(', ')} are not among the evaluated members (${session.members.map((m) => m.id).join(', ')}); add them with --methods, or leave out --methods/--groups/--preset`);
    if (left.length) {
      io.stderr.write(`metacam evaluate: leaving out ${left.join(', ')}: backend ${session.backend.name} computes the max-pool gradient wrongly for this model (use --backend cpu to include it, slowly)\n`);
    }
    io.stderr.write(`metacam evaluate: model ${session.model.id}, layer ${session.explainer.layer}, backend ${session.backend.name}, members ${session.members.map((m) => m.id).join(',')}\n`);
    let progress: ReturnType<typeof createProgress> | undefined;
    const result = await runEvaluation(
      session,
      {
        input: opts.input,
        groundTruth: opts.groundTruth,
        targets,
        topKs: opts.topKs,
        binary: opts.binary,
        smoothSeconds: opts.smoothSeconds,
        hysteresis: opts.hysteresis,
        smoothMaps: opts.smoothMaps,
        mapMotion: opts.mapMotion,
        sceneCutThreshold: opts.sceneCutThreshold,
        consensus: opts.consensus,
        weights: opts.weights,
        maxFrames: opts.maxFrames,
        road: opts.road,
        roadFrames: opts.roadFrames,
        roadProtocol: opts.roadProtocol,
        cre: opts.cre,
        creFrames: opts.creFrames,
        signal: interrupt.signal,
      },
      ({ done, total }) => {
        progress ??= createProgress(io.stderr, total, { label: 'evaluate' });
        progress.update(done);
      },
    );
    progress?.finish();
    io.stdout.write(`${formatEvaluationTable(result)}\n`);
    if (opts.jsonOut) {
      await writeOutput(opts.jsonOut, `${JSON.stringify({ ...(evaluationJson(result, opts) as object), profile: profileRef(profile) ?? null }, null, 2)}\n`);
      io.stdout.write(`wrote ${opts.jsonOut}\n`);
    }
    if (opts.plot) {
      await writeOutput(opts.plot, renderEvaluationPlot(result));
      io.stdout.write(`wrote ${opts.plot}\n`);
    }
    return result.interrupted ? 130 : 0;
  } finally {
    interrupt.dispose();
    opened.dispose();
  }
}
