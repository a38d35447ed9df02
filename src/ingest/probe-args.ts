/**
 * ffprobe argv builders (pure). Local paths go through `localInput` so names that start with '-' or contain
 * ':' are never read as options or protocols.
 */
import { localInput } from './local-input.js';

/** One JSON document with format + streams. */
export function probeArgs(path: string): string[] {
  return ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', '-i', localInput(path)];
}

/**
 * Counts the first video stream's packets (demux only, no decode) for containers that do not store
 * nb_frames (mkv, webm, ts). With `-vsync passthrough` decoding yields one frame per packet.
 */
export function countPacketsArgs(path: string): string[] {
  return [
    '-v', 'error', '-count_packets', '-select_streams', 'v:0',
    '-show_entries', 'stream=nb_read_packets', '-print_format', 'json', '-i', localInput(path),
  ];
}
