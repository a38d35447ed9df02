/**
 * `metacam live <source> [--port 8080] [--host 127.0.0.1] [--token T] [--record out.mp4] [--audit a.jsonl]`:
 * explains a camera, stream, testsrc or a file at its real rate, as fast as the machine allows, and serves the
 * overlaid frames and their explanations to any number of browsers. Stale frames are dropped, never queued.
 */
import { parseLiveArgs, wantsHelp } from '../args.js';
import { openSession } from '../../pipeline/session.js';
import { openAudit, type AuditTap } from '../../pipeline/audit-tap.js';
import { runLivePreview } from '../../pipeline/live-preview.js';
import { pickMetaCamSettings } from '../../metacam/metacam-settings.js';
import { interruptSignal } from '../interrupt.js';
import { isMetacamError } from '../../errors.js';
import type { Io } from '../main.js';
import { profileRef, readProfileFlag, withProfile } from '../profile-flags.js';
import { checkProfileModel } from '../../metacam/profile.js';

const HELP = `Usage: metacam live <source> [options]
  <source>            testsrc[:WxH[@fps]] | /dev/videoN | avfoundation:<name> | dshow:<name> | rtsp://… | http(s)://… | a file
  --port <n>          HTTP/WebSocket port (default 8080; 0 = any free port)
  --host <addr>       bind address (default 127.0.0.1); anything else requires --token
  --token <secret>    required on the page (?token=) and the WebSocket upgrade
  --record <out.mp4>  also record the overlaid stream     --audit <log.jsonl>  frame-by-frame audit log
  --realtime          play a file source at its real rate (a file is otherwise read as fast as it decodes)
  --size WxH, --fps n scale / resample the source        --duration <s>  stop after s seconds
  Model, method and overlay options as for \`metacam explain\` (default --preset realtime, batch 1).`;

export async function liveCommand(argv: string[], io: Io): Promise<number> {
  if (wantsHelp(argv)) {
    io.stdout.write(`${HELP}\n`);
    return 0;
  }
  const flags = parseLiveArgs(argv);
  const profile = await readProfileFlag(flags.profile);
  const opts = withProfile(flags, profile);
  const session = await openSession({ ...opts, batch: 1 });
  const interrupt = interruptSignal();
  // One controller for both ends of a run: Ctrl-C, or --duration elapsed. (Not AbortSignal.any: on Node 20 a
  // composite signal can be garbage-collected before it fires.)
  const stop = new AbortController();
  interrupt.signal.addEventListener('abort', () => stop.abort(), { once: true });
  const timer = opts.durationSeconds ? setTimeout(() => stop.abort(), opts.durationSeconds * 1000) : undefined;
  const signal = stop.signal;
  let audit: AuditTap | undefined;
  try {
    if (profile) checkProfileModel(profile, session.model);
    audit = opts.audit ? await openAudit(opts.audit, session, { input: opts.source, live: true, metacam: pickMetaCamSettings(opts), profile: profileRef(profile), overlay: { colormap: opts.colormap, alpha: opts.alpha, show: opts.show, layout: opts.layout } }) : undefined;
    interrupt.onInterrupt(() => audit?.closeSync('interrupted'));
    io.stderr.write(`metacam: backend ${session.backend.name} (${session.backend.package} ${session.backend.version}); ffmpeg ${session.ffmpeg.source}: ${session.ffmpeg.version}\n`);
    let lastReport = 0;
    const result = await runLivePreview(session, {
      source: opts.source, host: opts.host, port: opts.port, token: opts.token,
      overlay: { colormap: opts.colormap, alpha: opts.alpha, show: opts.show, layout: opts.layout },
      ...pickMetaCamSettings(opts),
      record: opts.record ? { output: opts.record, fps: opts.fps ?? 25 } : undefined,
      audit, signal, width: opts.width, height: opts.height, fps: opts.fps,
      onEvent: (e) => {
        if (e.type === 'listening') io.stdout.write(`metacam live: viewer at ${e.url}\n`);
        else if (e.type === 'frame') {
          const now = Date.now();
          if (now - lastReport > 5000) {
            lastReport = now;
            io.stderr.write(`live: frame ${e.index}  ${e.fps.toFixed(1)} fps  latency ${e.latencyMs.toFixed(0)} ms  dropped ${e.dropped}\n`);
          }
        } else if (e.type !== 'started') io.stderr.write(`live: ${JSON.stringify(e)}\n`);
      },
    });
    await audit?.close(interrupt.signal.aborted ? 'interrupted' : 'completed');
    const summary = { frames: result.frames, dropped: result.dropped, fps: Number(result.fps.toFixed(3)), meanLatencyMs: Number(result.meanLatencyMs.toFixed(1)), seconds: Number(result.seconds.toFixed(2)), backend: session.backend.name, ffmpeg: session.ffmpeg.version, model: session.model.id, record: result.recording?.output ?? null };
    io.stdout.write(opts.json ? `${JSON.stringify(summary)}\n` : `live: ${summary.frames} frames explained, ${summary.dropped} dropped, ${summary.fps} fps, mean latency ${summary.meanLatencyMs} ms\n`);
    return interrupt.signal.aborted ? 130 : 0;
  } catch (e) {
    await audit?.close('error', isMetacamError(e) ? { code: e.code, message: e.message } : { code: 'E_INTERNAL', message: String((e as Error)?.message ?? e) });
    throw e;
  } finally {
    clearTimeout(timer);
    interrupt.dispose();
    session.dispose();
  }
}
