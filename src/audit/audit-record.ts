/**
 * The three record kinds of an audit log, as TypeScript types mirroring schemas/audit-record.schema.json
 * (the schema is the published contract; these types keep the writer honest at compile time).
 */
import type { ClassScore, FrameExplanation, MemberThreshold } from '../core/frame-explanation.js';
import type { MergeCount } from '../metacam/distinct-members.js';

export const AUDIT_SCHEMA_VERSION = 1 as const;

export type ExitReason = 'completed' | 'interrupted' | 'error';

export interface FileDigest {
  readonly path: string;
  readonly sizeBytes: number;
  readonly sha256: string;
}

/** Everything the caller supplies for the header; the writer adds type, prev and schemaVersion. */
export interface AuditHeaderFields {
  readonly tool: { readonly name: string; readonly version: string };
  readonly model: { readonly id: string; readonly format?: 'tfjs-layers' | 'tfjs-graph' | 'onnx'; readonly sha256: string; readonly files?: readonly FileDigest[] };
  readonly layer: string;
  readonly methods: readonly string[];
  readonly groups: readonly string[];
  readonly topK: number;
  readonly smoothSeconds: number;
  readonly backend: string;
  readonly ffmpeg: { readonly path: string; readonly source: string; readonly version: string };
  /** A file: path, size, sha256. A live source: the source string with sizeBytes and sha256 null. */
  readonly input: { readonly path: string; readonly sizeBytes: number | null; readonly sha256: string | null };
  /** The run's whole resolved configuration (see the schema's header.config). */
  readonly config?: AuditRunConfig;
  /** The calibration profile of the run (`--profile`): file name and sha256 of its bytes. */
  readonly profile?: { readonly name: string; readonly sha256: string };
  /** ISO 8601; defaults to the writer's creation time. */
  readonly startedAt?: string;
  readonly extra?: Readonly<Record<string, unknown>>;
}

export interface AuditRunConfig {
  readonly model: Readonly<Record<string, unknown>>;
  readonly classMode: 'auto' | number;
  readonly metacam: Readonly<Record<string, unknown>>;
  readonly overlay?: Readonly<Record<string, unknown>>;
}

export interface AuditHeaderRecord extends AuditHeaderFields {
  readonly type: 'header';
  readonly prev: null;
  readonly schemaVersion: typeof AUDIT_SCHEMA_VERSION;
  readonly startedAt: string;
}

export interface ThumbRef {
  readonly path: string;
  readonly sha256: string;
}

/** A frame record before the writer links it into the chain (prev is added on write). */
export interface AuditFrameBody {
  readonly type: 'frame';
  readonly index: number;
  readonly pts: number;
  readonly pixelsSha256: string;
  readonly target: ClassScore;
  readonly top5: readonly ClassScore[];
  readonly members: Readonly<Record<string, MemberThreshold>>;
  /** Members counted once because their map equalled an earlier member's (absent in logs written before it existed). */
  readonly merged?: FrameExplanation['merged'];
  readonly consensus: FrameExplanation['consensus'];
  readonly sceneCut: boolean;
  readonly dropped: number;
  readonly timings: Readonly<Record<string, number>>;
  readonly thumb?: ThumbRef;
}

export interface AuditFrameRecord extends AuditFrameBody {
  readonly prev: string;
}

export interface AuditFooterRecord {
  readonly type: 'footer';
  readonly prev: string;
  readonly frames: number;
  readonly dropped: number;
  readonly durationSeconds: number;
  readonly exitReason: ExitReason;
  /** The run's merged members with their frame counts (the frames' `merged`, tallied); absent when none. */
  readonly merged?: readonly MergeCount[];
  readonly error?: { readonly code: string; readonly message: string };
  readonly chainSha256: string;
}

export type AuditRecord = AuditHeaderRecord | AuditFrameRecord | AuditFooterRecord;
