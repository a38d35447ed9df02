/**
 * How to start a child at a lower CPU priority. On 2 cores the inference worker is the pipeline's bottleneck,
 * and ffmpeg's decoder and x264's threads, at equal priority, take turns with it; at niceness 10 they run on
 * what the worker leaves. POSIX: `nice -n N ffmpeg …`, so the priority is set before ffmpeg starts any thread
 * (Linux applies setpriority(pid) to one thread only, so setting it after spawn could miss early threads).
 * Elsewhere, or without a `nice` binary, the caller falls back to os.setPriority on the child's pid.
 */
import { existsSync } from 'node:fs';

export interface NiceCommandOptions {
  /** Niceness increment (1–19: lower priority); undefined or 0: unchanged. */
  readonly niceness?: number;
  readonly platform: NodeJS.Platform;
  /** Path of the `nice` program, if there is one. */
  readonly niceBinary: string | undefined;
}

export interface NiceCommand {
  readonly command: string;
  readonly args: readonly string[];
  /** True when the priority is applied by `nice`; false means the caller must set it (or leave it). */
  readonly viaNice: boolean;
}

export function checkNiceness(niceness: number): number {
  if (!Number.isInteger(niceness) || niceness < 0 || niceness > 19) throw new RangeError(`niceness must be an integer 0–19, got ${niceness}`);
  return niceness;
}

export function niceCommand(binary: string, argv: readonly string[], o: NiceCommandOptions): NiceCommand {
  const n = o.niceness === undefined ? 0 : checkNiceness(o.niceness);
  if (n === 0 || o.platform === 'win32' || o.niceBinary === undefined) return { command: binary, args: [...argv], viaNice: false };
  return { command: o.niceBinary, args: ['-n', String(n), binary, ...argv], viaNice: true };
}

let found: string | null | undefined;
/** The `nice` program on this machine (cached), or undefined (Windows, minimal containers). */
export function findNice(): string | undefined {
  if (found === undefined) {
    found = process.platform === 'win32' ? null : (['/usr/bin/nice', '/bin/nice'].find((p) => existsSync(p)) ?? null);
  }
  return found ?? undefined;
}
