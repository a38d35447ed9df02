/**
 * ffprobe JSON → VideoInfo, pure so every odd container can be tested from a fixture. Rotation is reported
 * clockwise in degrees (0/90/180/270): from the legacy `rotate` tag when present, else from the display-matrix
 * side data, whose `rotation` is counter-clockwise. width/height are the display size (swapped for 90/270),
 * which is what ffmpeg's default autorotation produces when decoding.
 */
export interface VideoInfo {
  /** Display size (rotation applied). */
  readonly width: number;
  readonly height: number;
  /** Size as stored in the stream. */
  readonly codedWidth: number;
  readonly codedHeight: number;
  readonly fps: number;
  /** Exact rate as ffprobe gives it, e.g. "30000/1001"; pass this to the encoder. */
  readonly fpsFraction: string;
  /** From the container's nb_frames, or counted packets when the container does not store it. */
  readonly frameCount: number;
  readonly durationSeconds: number;
  /** Clockwise display rotation: 0, 90, 180 or 270. */
  readonly rotation: number;
  readonly hasAudio: boolean;
  readonly codec: string;
  readonly pixFmt: string;
  /** ffprobe's format name, e.g. "mov,mp4,m4a,3gp,3g2,mj2". */
  readonly formatName: string;
}

export interface ProbeStream {
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  pix_fmt?: string;
  r_frame_rate?: string;
  avg_frame_rate?: string;
  nb_frames?: string;
  duration?: string;
  tags?: Record<string, string>;
  side_data_list?: { side_data_type?: string; rotation?: number }[];
  disposition?: { attached_pic?: number };
}

export interface ProbeJson {
  streams?: ProbeStream[];
  format?: { format_name?: string; duration?: string };
}

export function parseRational(s: string | undefined): number {
  if (!s) return 0;
  const [n, d] = s.split('/');
  const num = Number(n);
  const den = d === undefined ? 1 : Number(d);
  return den > 0 && Number.isFinite(num) ? num / den : 0;
}

export function rotationOf(stream: ProbeStream): number {
  let deg = 0;
  const tag = stream.tags?.rotate;
  if (tag !== undefined && Number.isFinite(Number(tag))) deg = Number(tag);
  else {
    const dm = stream.side_data_list?.find((d) => typeof d.rotation === 'number');
    if (dm) deg = -dm.rotation!;
  }
  return (((Math.round(deg / 90) * 90) % 360) + 360) % 360;
}

/** Picks r_frame_rate when it agrees with the average (it is the exact nominal rate), else the average. */
export function frameRateOf(stream: ProbeStream): { fps: number; fraction: string } {
  const r = parseRational(stream.r_frame_rate);
  const avg = parseRational(stream.avg_frame_rate);
  if (r > 0 && (avg <= 0 || Math.abs(r - avg) / r < 0.01)) return { fps: r, fraction: stream.r_frame_rate! };
  if (avg > 0) return { fps: avg, fraction: stream.avg_frame_rate! };
  return { fps: 0, fraction: '0/1' };
}

const IMAGE_FORMAT = /(^|,)(image2|[a-z0-9]+_pipe)(,|$)/;

/** The first real video stream (not cover art). */
export function videoStreamOf(json: ProbeJson): ProbeStream | undefined {
  return json.streams?.find((s) => s.codec_type === 'video' && !s.disposition?.attached_pic);
}

export function isStillImage(json: ProbeJson): boolean {
  return IMAGE_FORMAT.test(json.format?.format_name ?? '');
}

/**
 * Returns the info, or a string saying why the file is not a usable video. `frameCount` is taken from
 * nb_frames when positive, else from `countedFrames` (the caller runs a packet count), else estimated.
 */
export function parseProbe(json: ProbeJson, countedFrames?: number): VideoInfo | string {
  const v = videoStreamOf(json);
  const formatName = json.format?.format_name ?? 'unknown';
  if (!v) {
    const audio = json.streams?.some((s) => s.codec_type === 'audio');
    return audio ? 'it has an audio stream but no video stream' : `it has no video stream (format ${formatName})`;
  }
  if (isStillImage(json)) return `it is a still image (${v.codec_name ?? formatName}), not a video`;
  const codedWidth = v.width ?? 0;
  const codedHeight = v.height ?? 0;
  if (codedWidth <= 0 || codedHeight <= 0) return `its video stream has no frame size (codec ${v.codec_name ?? '?'})`;
  const rotation = rotationOf(v);
  const swap = rotation === 90 || rotation === 270;
  const { fps, fraction } = frameRateOf(v);
  const durationSeconds = parseRational(v.duration) || parseRational(json.format?.duration);
  const nb = Number.parseInt(v.nb_frames ?? '', 10);
  const frameCount = nb > 0 ? nb : countedFrames !== undefined && countedFrames > 0 ? countedFrames : Math.round(durationSeconds * fps);
  if (!(fps > 0)) return 'its video stream has no frame rate';
  if (!(frameCount > 0)) return 'its video stream has no frames';
  return {
    width: swap ? codedHeight : codedWidth,
    height: swap ? codedWidth : codedHeight,
    codedWidth,
    codedHeight,
    fps,
    fpsFraction: fraction,
    frameCount,
    durationSeconds,
    rotation,
    hasAudio: json.streams?.some((s) => s.codec_type === 'audio') ?? false,
    codec: v.codec_name ?? 'unknown',
    pixFmt: v.pix_fmt ?? 'unknown',
    formatName,
  };
}

/** True when frameCount must come from counting packets. */
export function needsPacketCount(json: ProbeJson): boolean {
  const v = videoStreamOf(json);
  return !!v && !(Number.parseInt(v.nb_frames ?? '', 10) > 0);
}
