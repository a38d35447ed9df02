/**
 * `metacam explain in.mp4 -o out.mp4 …` and `metacam explain a.mp4 b.mp4 … --out-dir d` (one after another on one
 * session; d/<name>.mp4 + d/<name>.audit.jsonl, see pipeline/out-dir-runs.ts), and `demo` (explain with bundled
 * defaults).
 * Wires flags → session → pipeline, with the audit log and progress as taps; Ctrl-C ends the run cleanly:
 * the partial MP4 stays playable, the audit log gets its footer, and the exit code is 130.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseExplainArgs, wantsHelp, type ExplainOptions } from '../args.js';
import { explainHelp } from '../help.js';
import { createProgress } from '../progress.js';
import { openSession, type Session } from '../../pipeline/session.js';
import { explainVideo, type ExplainVideoResult } from '../../pipeline/explain-video.js';
import { openAudit, type AuditTap } from '../../pipeline/audit-tap.js';
import { interruptSignal } from '../interrupt.js';
import { probeVideo, type VideoInfo } from '../../ingest/probe-video.js';
import { spawnExplainerWorker } from '../../explain/engine/worker-explainer.js';
import { pickMetaCamSettings } from '../../metacam/metacam-settings.js';
import { checkOutDir, runFailure, runName, type ExplainRun } from '../../pipeline/out-dir-runs.js';
import { isMetacamError } from '../../errors.js';
import type { Io } from '../main.js';
import { runQueuedExplain } from './explain-queued.js';
import { profileRef, readProfileFlag, withProfile } from '../profile-flags.js';
import { checkProfileModel, type LoadedProfile } from '../../metacam/profile.js';

type ProfileRef = ReturnType<typeof profileRef>;

export async function explainCommand(argv: string[], io: Io): Promise<number> {
  if (wantsHelp(argv)) {
    io.stdout.write(`${explainHelp('explain')}\n`);
    return 0;
  }
  return runExplain(parseExplainArgs(argv), io);
}

export async function runExplain(opts: ExplainOptions, io: Io): Promise<number> {
  const runs: readonly ExplainRun[] = opts.runs ?? [{ input: opts.input, output: opts.output, ...(opts.audit ? { audit: opts.audit } : {}) }];
  if (opts.outDir !== undefined) checkOutDir(opts.outDir);
  // Check every input before paying for the model: a bad file fails in a fraction of a second, before any work.
  const infos: VideoInfo[] = [];
  for (const run of runs) infos.push(await probeVideo(run.input));
  // The profile too is read and checked before the model loads; its model hash once the session (or, queued,
  // each worker's) is open.
  const profile = await readProfileFlag(opts.profile);
  const settled = withProfile(opts, profile);
  if (opts.queue !== undefined) return runQueuedExplain(settled, runs, infos, profile, io);
  return runLocal(settled, runs, infos, profile, io);
}

async function runLocal(opts: ExplainOptions, runs: readonly ExplainRun[], infos: readonly VideoInfo[], profile: LoadedProfile | undefined, io: Io): Promise<number> {
  for (const run of runs) mkdirSync(dirname(run.output), { recursive: true });
  // Inference in a worker thread keeps this thread free to feed ffmpeg, so decode/explain/encode overlap. The
  // model is loaded there only (once for all inputs); the worker reports its labels, layer and input size back.
  const session: Session = await openSession(opts, { worker: opts.inProcess ? false : spawnExplainerWorker() });
  const interrupt = interruptSignal();
  const summaries: RunSummary[] = [];
  try {
    if (profile) checkProfileModel(profile, session.model);
    if (!opts.json) {
      io.stderr.write(`metacam: backend ${session.backend.name} (${session.backend.package} ${session.backend.version}); ffmpeg ${session.ffmpeg.source}: ${session.ffmpeg.version}\n`);
      io.stderr.write(`metacam: model ${session.model.id}, layer ${session.explainer.layer}, members ${session.members.map((m) => m.id).join(',')}\n`);
    }
    // Several inputs run one after another on the one session; a failure names its input, and the outputs
    // already written stay.
    for (const [i, run] of runs.entries()) {
      try {
        const r = await explainOne(opts, run, infos[i]!, session, interrupt, io, profileRef(profile));
        summaries.push(summaryOf(opts, run, session, r, profileRef(profile)));
        if (runs.length === 1) printRun(io, opts, summaries[0]!, r);
        if (r.interrupted) break;
      } catch (e) {
        throw runs.length === 1 ? e : runFailure(e, run, summaries.map((s) => s.output));
      }
    }
  } finally {
    interrupt.dispose();
    session.dispose();
  }
  const interrupted = summaries.some((s) => s.interrupted);
  if (opts.outDir !== undefined) printRuns(io, opts, summaries);
  return interrupted ? 130 : 0;
}

async function explainOne(
  opts: ExplainOptions, run: ExplainRun, info: VideoInfo, session: Session, interrupt: ReturnType<typeof interruptSignal>, io: Io,
  profile: ProfileRef | undefined,
): Promise<ExplainVideoResult> {
  let audit: AuditTap | undefined;
  try {
    audit = run.audit ? await openAudit(run.audit, session, { input: run.input, metacam: pickMetaCamSettings(opts), profile, overlay: overlayOf(opts), thumbsDir: opts.auditThumbs, thumbsEvery: opts.auditThumbsEvery }) : undefined;
    interrupt.onInterrupt(() => audit?.closeSync('interrupted'));
    let progress: ReturnType<typeof createProgress> | undefined;
    let done = 0;
    const result: ExplainVideoResult = await explainVideo(session, {
      input: run.input,
      info,
      output: run.output,
      overlay: overlayOf(opts),
      ...pickMetaCamSettings(opts),
      maxFrames: opts.maxFrames,
      signal: interrupt.signal,
      // The taps below (progress, audit hash and thumbnail) are done with a frame before onFrame settles.
      recycleBuffers: true,
      onStart: (info) => {
        const total = opts.maxFrames ? Math.min(opts.maxFrames, info.frameCount) : info.frameCount;
        progress = opts.json ? undefined : createProgress(io.stderr, total, { label: opts.runs && opts.runs.length > 1 ? `explain ${runName(run.input)}` : 'explain' });
      },
      onFrame: async (item) => {
        done++;
        progress?.update(done);
        await audit?.write(item);
      },
    });
    progress?.finish();
    await audit?.close(result.interrupted ? 'interrupted' : 'completed');
    return result;
  } catch (e) {
    await audit?.close('error', isMetacamError(e) ? { code: e.code, message: e.message } : { code: 'E_INTERNAL', message: String((e as Error)?.message ?? e) });
    throw e;
  }
}

function overlayOf(o: ExplainOptions) {
  return { colormap: o.colormap, alpha: o.alpha, show: o.show, layout: o.layout };
}

type RunSummary = ReturnType<typeof summaryOf>;

function summaryOf(opts: ExplainOptions, run: ExplainRun, session: Session, r: ExplainVideoResult, profile: ProfileRef | undefined) {
  return {
    output: r.output,
    input: run.input,
    interrupted: r.interrupted,
    frames: r.frames,
    inputFrames: r.inputFrames,
    fps: Number(r.fps.toFixed(3)),
    seconds: Number(r.seconds.toFixed(3)),
    backend: { name: session.backend.name, package: session.backend.package, version: session.backend.version },
    ffmpeg: { path: session.ffmpeg.ffmpegPath, source: session.ffmpeg.source, version: session.ffmpeg.version },
    model: session.model.id,
    layer: session.explainer.layer,
    members: session.members.map((m) => m.id),
    topK: opts.topK,
    consensus: opts.consensus,
    profile: profile ?? null,
    smoothSeconds: opts.smoothSeconds,
    flicker: Number(r.flicker.toFixed(4)),
    sceneCuts: r.sceneCuts,
    merged: r.merged,
    audit: run.audit ?? null,
  };
}

function printRun(io: Io, opts: ExplainOptions, summary: RunSummary, r: ExplainVideoResult): void {
  if (opts.json) {
    if (opts.outDir === undefined) io.stdout.write(`${JSON.stringify(summary)}\n`);
    return;
  }
  io.stdout.write(`${r.interrupted ? 'interrupted: partial video' : 'wrote'} ${r.output} (${r.frames}/${r.inputFrames} frames, ${r.fps.toFixed(2)} fps end to end)\n`);
  if (summary.audit) io.stdout.write(`audit log: ${summary.audit}\n`);
  if (opts.stats) {
    io.stdout.write(`flicker (mean 1 − IoU of consecutive MetaCAM regions): ${r.flicker.toFixed(4)} with smoothing ${opts.smoothSeconds}s\n`);
    io.stdout.write(`scene cuts at frames: ${r.sceneCuts.length ? r.sceneCuts.join(', ') : 'none'}\n`);
    io.stdout.write(`merged members (same map, counted once): ${r.merged.length ? r.merged.map((m) => `${m.id} = ${m.into} on ${m.frames}/${r.frames} frames`).join(', ') : 'none'}\n`);
  }
}

/** With --out-dir: one line per input, or with --json one object `{ outDir, runs: [per-input summary…], … }`. */
function printRuns(io: Io, opts: ExplainOptions, runs: readonly RunSummary[]): void {
  const frames = runs.reduce((n, r) => n + r.frames, 0);
  const seconds = runs.reduce((n, r) => n + r.seconds, 0);
  if (opts.json) {
    io.stdout.write(`${JSON.stringify({ outDir: opts.outDir, inputs: runs.length, frames, seconds: Number(seconds.toFixed(3)), fps: Number((seconds > 0 ? frames / seconds : 0).toFixed(3)), runs })}\n`);
    return;
  }
  for (const r of runs) io.stdout.write(`${r.interrupted ? 'interrupted: partial video' : 'wrote'} ${r.output} (${r.frames}/${r.inputFrames} frames, ${r.fps.toFixed(2)} fps), audit log ${r.audit}\n`);
}
