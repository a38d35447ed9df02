/**
 * The join (the flow's parent job, run once every segment is done): the segments' MP4s → one MP4 with ffmpeg's
 * concat demuxer and `-c:v copy` (no re-encode: the segments share every encoder setting, so their streams
 * concatenate), the source's audio muxed in as a local run does (AAC 128k), written as `.partial.mp4` and renamed
 * only once its frame count equals the input's. The audit log is one chain over all frames in order: segment 0's
 * header facts with the input's size and hash, then every segment's frame records, then the footer; so
 * `metacam audit verify` checks it like any other log, and a missing, reordered or edited segment breaks it.
 */
import { createReadStream } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { countVideoFrames } from '../audit/count-video-frames.js';
import { createAuditWriter } from '../audit/audit-writer.js';
import type { AuditFrameBody } from '../audit/audit-record.js';
import { MetacamError } from '../errors.js';
import { resolveFfmpeg } from '../ingest/ffmpeg-path.js';
import { localInput } from '../ingest/local-input.js';
import { partialPathFor } from '../ingest/partial-path.js';
import { runFfmpeg } from '../ingest/spawn-ffmpeg.js';
import { checkShared, checkSharedWritable } from './shared-path.js';
import type { JoinJobData, JoinJobResult, SegmentJobResult } from './segment-job.js';

/** The concat demuxer's list: one `file '<path>'` line per segment, quotes escaped as the demuxer wants. */
export function concatList(videos: readonly string[]): string {
  return videos.map((v) => `file '${v.replace(/'/g, "'\\''")}'\n`).join('');
}

export function joinArgs(o: { list: string; audioFrom?: string; output: string }): string[] {
  return [
    '-hide_banner', '-nostdin', '-nostats', '-loglevel', 'error', '-y',
    '-f', 'concat', '-safe', '0', '-i', localInput(o.list),
    ...(o.audioFrom !== undefined ? ['-i', localInput(o.audioFrom)] : []),
    '-map', '0:v:0', '-c:v', 'copy',
    ...(o.audioFrom !== undefined ? ['-map', '1:a:0?', '-c:a', 'aac', '-b:a', '128k'] : []),
    '-movflags', '+frag_keyframe+empty_moov+default_base_moof',
    '-f', 'mp4', localInput(o.output),
  ];
}

export async function joinSegments(job: JoinJobData, children: readonly SegmentJobResult[]): Promise<JoinJobResult> {
  const started = performance.now();
  const segs = [...children].sort((a, b) => a.index - b.index);
  if (segs.length !== job.segments || segs.some((s, i) => s.index !== i)) {
    throw new MetacamError('E_INTERNAL', `join: expected segments 0…${job.segments - 1}, got ${segs.map((s) => s.index).join(',')}`);
  }
  for (const s of segs) checkShared(s.video, `segment ${s.index}'s video`);
  checkShared(job.input, 'input (its audio is muxed in)');
  checkSharedWritable(dirname(job.output), 'output folder');
  if (job.audit) checkSharedWritable(dirname(job.audit), 'audit log\'s folder');
  const { ffmpegPath } = await resolveFfmpeg();
  const list = `${job.workDir}/concat.txt`;
  await writeFile(list, concatList(segs.map((s) => s.video)));
  const partial = partialPathFor(job.output);
  await runFfmpeg(ffmpegPath, joinArgs({ list, audioFrom: job.input, output: partial }), { label: `joining ${segs.length} segments into ${job.output}` });
  const frames = await countVideoFrames(partial);
  if (frames !== job.inputFrames) {
    throw new MetacamError('E_INTERNAL', `join: ${partial} has ${frames} frames but the input has ${job.inputFrames}; kept for inspection`);
  }
  if (job.audit) await writeJoinedAudit(job, segs);
  await rename(partial, job.output);
  // The segments are in the output now; a rerun of the same command finds the join completed and reuses it.
  await rm(job.workDir, { recursive: true, force: true });
  return { output: job.output, frames, ...(job.audit ? { audit: job.audit } : {}), joinSeconds: (performance.now() - started) / 1000 };
}

async function writeJoinedAudit(job: JoinJobData, segs: readonly SegmentJobResult[]): Promise<void> {
  const header = { ...segs[0]!.header, input: { path: job.input, sizeBytes: job.inputSizeBytes, sha256: job.input_sha256 } };
  // The queued run began at the coordinator's plan, not at this join: startedAt and the duration count from there.
  const startedMs = job.startedAt === undefined ? NaN : Date.parse(job.startedAt);
  const writer = createAuditWriter(job.audit!, header, { flushEvery: 64, ...(Number.isFinite(startedMs) ? { startedMs } : {}) });
  try {
    for (const s of segs) {
      const lines = createInterface({ input: createReadStream(s.records), crlfDelay: Infinity });
      for await (const line of lines) {
        if (line) writer.write(JSON.parse(line) as AuditFrameBody);
      }
    }
    await writer.close({ exitReason: 'completed' });
  } catch (e) {
    await writer.close({ exitReason: 'error', error: { code: (e as MetacamError).code ?? 'E_INTERNAL', message: String((e as Error).message) } });
    throw e;
  }
}
