/**
 * Maps one FrameExplanation (plus the decoded pixels it explains) to the body of an audit frame record.
 * The pixel hash binds the record to the exact frame: anyone holding the video can re-decode it to RGB24 and
 * check that the explanation belongs to that picture.
 */
import type { FrameExplanation } from '../core/frame-explanation.js';
import type { AuditFrameBody, ThumbRef } from './audit-record.js';
import { sha256Hex } from './sha256.js';

export function frameRecord(explanation: FrameExplanation, pixels: Uint8Array, thumb?: ThumbRef): AuditFrameBody {
  const e = explanation;
  const c = e.consensus;
  const members: Record<string, { tauRaw: number; tauSmoothed: number; areaPercent: number }> = {};
  for (const [id, m] of Object.entries(e.members)) {
    members[id] = { tauRaw: m.tauRaw, tauSmoothed: m.tauSmoothed, areaPercent: m.areaPercent };
  }
  return {
    type: 'frame',
    index: e.index,
    pts: e.ptsSeconds,
    pixelsSha256: sha256Hex(pixels),
    target: { index: e.target.index, label: e.target.label, score: e.target.score },
    top5: e.top5.slice(0, 5).map((s) => ({ index: s.index, label: s.label, score: s.score })),
    members,
    merged: e.merged.map((m) => ({ id: m.id, into: m.into, reason: m.reason, maxDifference: m.maxDifference })),
    consensus: {
      tauRaw: c.tauRaw,
      tauSmoothed: c.tauSmoothed,
      areaPercent: c.areaPercent,
      bbox: c.bbox ? { x0: c.bbox.x0, y0: c.bbox.y0, x1: c.bbox.x1, y1: c.bbox.y1 } : null,
      centroid: c.centroid ? { x: c.centroid.x, y: c.centroid.y } : null,
    },
    sceneCut: e.sceneCut,
    dropped: e.dropped,
    timings: { ...e.timings },
    ...(thumb ? { thumb: { path: thumb.path, sha256: thumb.sha256 } } : {}),
  };
}
