/**
 * Connects a run to the audit log: builds the header from the session (model and input hashes, backend, ffmpeg,
 * members, k, smoothing, and the whole resolved configuration), turns each finished frame into a record (with the sha256 of its decoded pixels and,
 * every Nth frame, a thumbnail of the overlay), and writes the footer with the exit reason.
 */
import { statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createAuditWriter, type AuditWriter } from '../audit/audit-writer.js';
import type { AuditHeaderFields, ExitReason, ThumbRef } from '../audit/audit-record.js';
import { frameRecord } from '../audit/frame-record.js';
import { sha256File } from '../audit/sha256.js';
import { writeThumbnail } from '../audit/thumbnails.js';
import { groupsOf } from '../metacam/groups.js';
import { toolVersion } from '../core/version.js';
import { resolveMetaCamSettings, type MetaCamSettings } from '../metacam/metacam-settings.js';
import type { OverlayOptions } from '../overlay/index.js';
import type { Session } from './session.js';
import type { ExplainedFrame } from './explain-video.js';

export interface AuditTap {
  write(item: Pick<ExplainedFrame, 'frame' | 'explanation' | 'overlay'>): Promise<void>;
  close(reason: ExitReason, error?: { code: string; message: string }): Promise<void>;
  closeSync(reason: ExitReason): void;
  readonly writer: AuditWriter;
}

export interface AuditTapOptions {
  /** A file path, or a live source string (then size and hash are null). */
  readonly input: string;
  readonly live?: boolean;
  /** The run's MetaCAM settings (defaults filled in for the header). */
  readonly metacam: Partial<MetaCamSettings>;
  /** The overlay's look, where the run draws one. */
  readonly overlay?: Partial<OverlayOptions>;
  readonly thumbsDir?: string;
  readonly thumbsEvery?: number;
  /** The calibration profile (`--profile`) the run's members and weights come from. */
  readonly profile?: { readonly name: string; readonly sha256: string };
}

/**
 * The header fields a run's log starts with (the input's facts given). Segment workers return these to
 * the join, which writes one log for the whole run (src/queue).
 */
export function auditHeaderFields(session: Session, o: Pick<AuditTapOptions, 'metacam' | 'overlay' | 'profile'>, input: AuditHeaderFields['input']): AuditHeaderFields {
  const members = session.members.map((m) => m.id);
  const metacam = resolveMetaCamSettings(o.metacam);
  return {
    tool: { name: 'metacam-video', version: toolVersion() },
    model: { id: session.model.id, format: session.model.format ?? 'tfjs-layers', sha256: session.model.sha256 },
    layer: session.explainer.layer,
    methods: members,
    groups: groupsOf(members, session.members),
    topK: metacam.topK,
    smoothSeconds: metacam.smoothSeconds,
    backend: `${session.backend.name} (${session.backend.package} ${session.backend.version})`,
    ffmpeg: { path: session.ffmpeg.ffmpegPath, source: session.ffmpeg.source, version: session.ffmpeg.version },
    input,
    config: { model: { ...session.settings }, classMode: session.classMode, metacam: { ...metacam }, ...(o.overlay ? { overlay: { ...o.overlay } } : {}) },
    ...(o.profile ? { profile: { name: o.profile.name, sha256: o.profile.sha256 } } : {}),
  };
}

export async function openAudit(path: string, session: Session, o: AuditTapOptions): Promise<AuditTap> {
  const input = o.live
    ? { path: o.input, sizeBytes: null, sha256: null }
    : { path: o.input, sizeBytes: statSync(o.input).size, sha256: await sha256File(o.input) };
  const writer = createAuditWriter(path, auditHeaderFields(session, o, input));
  if (o.thumbsDir) await mkdir(o.thumbsDir, { recursive: true });
  const every = o.thumbsEvery ?? 25;
  return {
    writer,
    async write({ frame, explanation, overlay }) {
      let thumb: ThumbRef | undefined;
      if (o.thumbsDir && frame.index % every === 0) thumb = await writeThumbnail(o.thumbsDir, frame.index, overlay);
      writer.write(frameRecord(explanation, frame.image.data, thumb));
    },
    async close(reason, error) {
      await writer.close({ exitReason: reason, error });
    },
    closeSync(reason) {
      writer.closeSync(reason);
    },
  };
}
