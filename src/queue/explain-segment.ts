/**
 * A worker's unit of work: one segment through the same pipeline as `metacam explain` (explainVideo with its
 * `segment` option: decode from the pre-roll, warm smoothers, drop the pre-roll frames, encode with the same
 * settings), writing the segment's MP4 and its frame records (one audit frame body per line) next to each other
 * in the shared work folder. Both are written under temporary names and renamed when complete, so a worker
 * killed mid-segment leaves nothing that looks finished.
 */
import { rename, rm, writeFile } from 'node:fs/promises';
import { frameRecord } from '../audit/frame-record.js';
import { MetacamError } from '../errors.js';
import { auditHeaderFields } from '../pipeline/audit-tap.js';
import { explainVideo } from '../pipeline/explain-video.js';
import type { Session } from '../pipeline/session.js';
import { checkShared, checkSharedWritable } from './shared-path.js';
import { segmentFiles, type SegmentJobData, type SegmentJobResult } from './segment-job.js';
import { checkProfileModel } from '../metacam/profile.js';

export async function explainSegment(
  session: Session, job: SegmentJobData, onProgress?: (framesDone: number) => void | Promise<void>,
): Promise<SegmentJobResult> {
  if (job.settings.profile) checkProfileModel(job.settings.profile, session.model);
  checkShared(job.input, 'input');
  checkSharedWritable(job.workDir, 'work folder (next to the output)');
  const { video, records } = segmentFiles(job.workDir, job.segment.index);
  const tmpVideo = `${video.slice(0, -4)}.tmp.mp4`;
  const lines: string[] = [];
  let done = 0;
  try {
    const result = await explainVideo(session, {
      input: job.input,
      output: tmpVideo,
      overlay: job.settings.overlay,
      ...job.settings.metacam,
      segment: job.segment,
      recycleBuffers: true,
      onFrame: async (item) => {
        lines.push(JSON.stringify(frameRecord(item.explanation, item.frame.image.data)));
        done++;
        if (done % 5 === 0 || done === job.segment.count) await onProgress?.(done);
      },
    });
    if (result.frames !== job.segment.count) {
      throw new MetacamError('E_INTERNAL', `segment ${job.segment.index}: explained ${result.frames} frames, expected ${job.segment.count} (frames ${job.segment.first}…)`);
    }
    await writeFile(`${records}.tmp`, lines.join('\n') + '\n');
    await rename(`${records}.tmp`, records);
    await rename(tmpVideo, video);
    return {
      index: job.segment.index, frames: result.frames, video, records, seconds: result.seconds,
      header: auditHeaderFields(session, { metacam: job.settings.metacam, overlay: job.settings.overlay, profile: job.settings.profile }, { path: job.input, sizeBytes: null, sha256: null }),
    };
  } catch (e) {
    await rm(tmpVideo, { force: true });
    await rm(`${records}.tmp`, { force: true });
    throw e;
  }
}
