/**
 * The live job: a lossy source (latest frame wins) → explain one frame at a time → MetaCAM → overlay in the view
 * the viewers chose → JPEG → every WebSocket client that keeps up; optional recording and audit log as taps.
 * One credit of flow means the decoder keeps only the newest frame while we work, so latency stays bounded by
 * one explanation, and every frame it discards is counted as dropped.
 */
import { ReplaySubject, concatMap, takeUntil, fromEvent, EMPTY, lastValueFrom, defaultIfEmpty, type Observable } from 'rxjs';
import { liveFrames, type LiveEvent } from '../ingest/live-frames.js';
import { createFlow } from '../ingest/flow.js';
import { encodeVideo, type EncodeResult } from '../ingest/encode-video.js';
import type { Frame, RgbImage } from '../core/frame.js';
import { pickMetaCamSettings } from '../metacam/metacam-settings.js';
import { createJpegEncoder } from '../server/jpeg-encoder.js';
import { startPreviewServer, type PreviewServer, type ViewerState } from '../server/preview-server.js';
import { MetacamError } from '../errors.js';
import { chooseMembers, type Session, type SessionExplainer } from './session.js';
import { createFrameStage, type FrameStage } from './frame-stage.js';
import type { AuditTap } from './audit-tap.js';
import type { ExplainSettings } from './explain-video.js';

export interface LivePreviewOptions extends ExplainSettings {
  readonly source: string;
  readonly host: string;
  readonly port: number;
  readonly token?: string;
  /** Record the overlaid stream to this MP4 (at the source's nominal rate). */
  readonly record?: { readonly output: string; readonly fps: number };
  readonly audit?: AuditTap;
  readonly signal?: AbortSignal;
  readonly width?: number;
  readonly height?: number;
  readonly fps?: number;
  readonly onEvent?: (e: LiveEvent | { type: 'listening'; url: string } | { type: 'frame'; index: number; fps: number; latencyMs: number; dropped: number }) => void;
}

export interface LivePreviewResult {
  readonly frames: number;
  readonly dropped: number;
  readonly seconds: number;
  readonly fps: number;
  readonly meanLatencyMs: number;
  readonly recording?: EncodeResult;
}

/** Throughput over the last few seconds, as an exponential moving average of the frame interval. */
class FpsMeter {
  private last = 0;
  private interval = 0;
  tick(now: number): number {
    if (this.last > 0) this.interval = this.interval === 0 ? now - this.last : 0.9 * this.interval + 0.1 * (now - this.last);
    this.last = now;
    return this.interval > 0 ? 1000 / this.interval : 0;
  }
}

export async function runLivePreview(session: Session, o: LivePreviewOptions, onListening?: (server: PreviewServer) => void): Promise<LivePreviewResult> {
  const engine = session.engine;
  if (!engine) throw new MetacamError('E_INTERNAL', 'live preview rebuilds its explainer when a viewer changes the class or preset: open its session in-process (no worker)');
  const server = await startPreviewServer({
    host: o.host, port: o.port, token: o.token,
    labels: session.model.labels,
    methods: session.members.map((m) => m.id),
    initialState: { alpha: o.overlay.alpha, colormap: o.overlay.colormap, view: o.overlay.show === 'raw' ? 'raw' : 'metacam' },
  });
  onListening?.(server);
  o.onEvent?.({ type: 'listening', url: server.url });
  const jpeg = createJpegEncoder({ quality: 6 });
  const flow = createFlow({ highWaterMark: 1 });
  // encodeVideo subscribes once ffmpeg is up: replay the frames published before that.
  const record$ = new ReplaySubject<RgbImage>(8);
  let recording: Promise<EncodeResult> | undefined;
  let explainer: SessionExplainer = session.explainer;
  let ownExplainer = false;
  let applied = { class: session.classMode as 'auto' | number, preset: 'realtime' };
  const newStage = (members: Session['members']): FrameStage =>
    createFrameStage({ members, labels: session.model.labels, metacam: pickMetaCamSettings(o), overlay: o.overlay });
  let stage = newStage(session.members);
  const fpsMeter = new FpsMeter();
  const started = performance.now();
  let frames = 0;
  let dropped = 0;
  let latencySum = 0;

  /** A viewer changed the class or the preset: rebuild the explainer (cheap next to a forward pass). */
  const follow = (state: ViewerState): void => {
    if (state.class === applied.class && state.preset === applied.preset) return;
    const nextMembers = chooseMembers({ preset: state.preset === 'full' ? 'full' : 'realtime' });
    const next = engine.explainerFor({ methods: nextMembers, classMode: state.class, batchSize: 1 });
    if (ownExplainer) explainer.dispose();
    explainer = next;
    ownExplainer = true;
    stage = newStage(nextMembers);
    applied = { class: state.class, preset: state.preset };
  };

  const abort$: Observable<unknown> = o.signal ? fromEvent(o.signal, 'abort') : EMPTY;
  const frames$ = liveFrames(o.source, {
    width: session.model.inputSize.width, height: session.model.inputSize.height, flow,
    fullWidth: o.width, fullHeight: o.height, fps: o.fps,
    onEvent: (e) => o.onEvent?.(e),
  });

  const handle = async (frame: Frame): Promise<void> => {
    try {
      follow(server.state());
      const [maps] = await explainer.explainBatch([frame]);
      const state = server.state();
      const { explanation, overlay } = stage.render(stage.explain(frame, maps!), {
        overlay: {
          alpha: state.alpha,
          colormap: state.colormap,
          show: state.view === 'raw' ? 'raw' : 'metacam',
          layout: state.view === 'grid' ? 'grid' : 'single',
        },
      });
      const t1 = performance.now();
      const image = await jpeg.encode(overlay);
      const now = performance.now();
      const fps = fpsMeter.tick(now);
      const latencyMs = frame.capturedAt !== undefined ? Date.now() - frame.capturedAt : 0;
      dropped = frame.dropped ?? dropped;
      const timed = { ...explanation, timings: { ...explanation.timings, jpeg: now - t1 } };
      server.publish({ jpeg: image, explanation: timed, stats: { fps, latencyMs, dropped, capturedAt: frame.capturedAt } });
      frames++;
      latencySum += latencyMs;
      o.onEvent?.({ type: 'frame', index: frame.index, fps, latencyMs, dropped });
      if (o.record && state.view !== 'grid') {
        if (!recording) {
          recording = encodeVideo(record$, { output: o.record.output, fps: o.record.fps, width: overlay.width, height: overlay.height });
          recording.catch(() => undefined); // awaited below; avoid an unhandled rejection meanwhile
        }
        record$.next(overlay);
      }
      await o.audit?.write({ frame, explanation: timed, overlay });
    } finally {
      flow.release();
    }
  };

  try {
    await lastValueFrom(frames$.pipe(takeUntil(abort$), concatMap(handle), defaultIfEmpty(undefined)));
  } finally {
    flow.close();
    record$.complete();
    await jpeg.close();
    if (ownExplainer) explainer.dispose();
    await server.close();
  }
  const rec = recording ? await recording : undefined;
  const seconds = (performance.now() - started) / 1000;
  return { frames, dropped, seconds, fps: frames / seconds, meanLatencyMs: frames ? latencySum / frames : 0, recording: rec };
}
