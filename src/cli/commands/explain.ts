/**
 * `metacam explain in.mp4 -o out.mp4 …` (and `demo`, which is explain with bundled defaults).
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
import { probeVideo } from '../../ingest/probe-video.js';
import { spawnExplainerWorker } from '../../explain/engine/worker-explainer.js';
import { pickMetaCamSettings } from '../../metacam/metacam-settings.js';
import { isMetacamError } from '../../errors.js';
import type { Io } from '../main.js';
import { runQueuedExplain } from './explain-queued.js';
import { profileRef, readProfileFlag, withProfile } from '../profile-flags.js';
import { checkProfileModel, type LoadedProfile } from '../../metacam/profile.js';

export async function explainCommand(argv: string[], io: Io): Promise<number> {
  if (wantsHelp(argv)) {
    io.stdout.write(`${explainHelp('explain')}\n`);
    return 0;
  }
  return runExplain(parseExplainArgs(argv), io);
}

export async function runExplain(flags: ExplainOptions, io: Io): Promise<number> {
  // Check the input and the profile before paying for the model: a bad file fails in a fraction of a second.
  const info = await probeVideo(flags.input);
  if (flags.queue !== undefined) return runQueuedExplain(flags, info, io);
  const profile = await readProfileFlag(flags.profile);
  const opts = withProfile(flags, profile);
  mkdirSync(dirname(opts.output), { recursive: true });
  // Inference in a worker thread keeps this thread free to feed ffmpeg, so decode/explain/encode overlap. The
  // model is loaded there only; the worker reports its labels, layer and input size back.
  const session: Session = await openSession(opts, { worker: opts.inProcess ? false : spawnExplainerWorker() });
  const interrupt = interruptSignal();
  let audit: AuditTap | undefined;
  try {
    if (profile) checkProfileModel(profile, session.model);
    if (!opts.json) {
      io.stderr.write(`metacam: backend ${session.backend.name} (${session.backend.package} ${session.backend.version}); ffmpeg ${session.ffmpeg.source}: ${session.ffmpeg.version}\n`);
      io.stderr.write(`metacam: model ${session.model.id}, layer ${session.explainer.layer}, members ${session.members.map((m) => m.id).join(',')}\n`);
    }
    audit = opts.audit ? await openAudit(opts.audit, session, { input: opts.input, metacam: pickMetaCamSettings(opts), profile: profileRef(profile), overlay: overlayOf(opts), thumbsDir: opts.auditThumbs, thumbsEvery: opts.auditThumbsEvery }) : undefined;
    interrupt.onInterrupt(() => audit?.closeSync('interrupted'));
    let progress: ReturnType<typeof createProgress> | undefined;
    let done = 0;
    const result: ExplainVideoResult = await explainVideo(session, {
      input: opts.input,
      info,
      output: opts.output,
      overlay: overlayOf(opts),
      ...pickMetaCamSettings(opts),
      maxFrames: opts.maxFrames,
      signal: interrupt.signal,
      // The taps below (progress, audit hash and thumbnail) are done with a frame before onFrame settles.
      recycleBuffers: true,
      onStart: (info) => {
        const total = opts.maxFrames ? Math.min(opts.maxFrames, info.frameCount) : info.frameCount;
        progress = opts.json ? undefined : createProgress(io.stderr, total, { label: 'explain' });
      },
      onFrame: async (item) => {
        done++;
        progress?.update(done);
        await audit?.write(item);
      },
    });
    progress?.finish();
    const exitReason = result.interrupted ? 'interrupted' : 'completed';
    await audit?.close(exitReason);
    printSummary(io, opts, session, result, profile);
    return result.interrupted ? 130 : 0;
  } catch (e) {
    await audit?.close('error', isMetacamError(e) ? { code: e.code, message: e.message } : { code: 'E_INTERNAL', message: String((e as Error)?.message ?? e) });
    throw e;
  } finally {
    interrupt.dispose();
    session.dispose();
  }
}

function overlayOf(o: ExplainOptions) {
  return { colormap: o.colormap, alpha: o.alpha, show: o.show, layout: o.layout };
}

function printSummary(io: Io, opts: ExplainOptions, session: Session, r: ExplainVideoResult, profile: LoadedProfile | undefined): void {
  const summary = {
    output: r.output,
    input: opts.input,
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
    profile: profileRef(profile) ?? null,
    smoothSeconds: opts.smoothSeconds,
    flicker: Number(r.flicker.toFixed(4)),
    sceneCuts: r.sceneCuts,
    merged: r.merged,
    audit: opts.audit ?? null,
  };
  if (opts.json) {
    io.stdout.write(`${JSON.stringify(summary)}\n`);
    return;
  }
  io.stdout.write(`${r.interrupted ? 'interrupted: partial video' : 'wrote'} ${r.output} (${r.frames}/${r.inputFrames} frames, ${r.fps.toFixed(2)} fps end to end)\n`);
  if (opts.audit) io.stdout.write(`audit log: ${opts.audit}\n`);
  if (opts.stats) {
    io.stdout.write(`flicker (mean 1 − IoU of consecutive MetaCAM regions): ${r.flicker.toFixed(4)} with smoothing ${opts.smoothSeconds}s\n`);
    io.stdout.write(`scene cuts at frames: ${r.sceneCuts.length ? r.sceneCuts.join(', ') : 'none'}\n`);
    io.stdout.write(`merged members (same map, counted once): ${r.merged.length ? r.merged.map((m) => `${m.id} = ${m.into} on ${m.frames}/${r.frames} frames`).join(', ') : 'none'}\n`);
  }
}
