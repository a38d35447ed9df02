/**
 * The one place that starts ffmpeg/ffprobe children. Why a wrapper: every child must (a) report failures as a
 * typed FfmpegError carrying argv, exit status/signal and a bounded stderr tail, (b) be killable any number of
 * times without throwing, and (c) never outlive the Node process (a process 'exit' hook SIGKILLs survivors).
 * Extra read fds (fd 3, 4, …) let one ffmpeg write several raw outputs at once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { setPriority } from 'node:os';
import type { Readable, Writable } from 'node:stream';
import { FfmpegError, MetacamError } from '../errors.js';
import { findNice, niceCommand } from './nice-command.js';

export interface SpawnFfmpegOptions {
  /** Give the child a writable stdin pipe (encoders); otherwise stdin is /dev/null. */
  readonly stdin?: boolean;
  /** Number of extra output pipes after stderr: 1 gives fd 3, 2 gives fd 3 and fd 4. */
  readonly extraOutputs?: number;
  /** Bytes of stderr kept for error messages (default 8 KiB). */
  readonly stderrTailBytes?: number;
  /** Short human label for error messages, e.g. "decode in.mp4". */
  readonly label?: string;
  /**
   * Run the child at this lower CPU priority (niceness 1–19; see nice-command.ts). Best effort: through `nice`
   * where there is one, else os.setPriority right after spawn, silently unchanged where neither works.
   */
  readonly niceness?: number;
}

export interface FfmpegExit {
  readonly exitStatus: number | null;
  readonly signal: NodeJS.Signals | null;
  /** True when the child ended because kill() was called (then `done` resolves instead of rejecting). */
  readonly killed: boolean;
}

export interface FfmpegProcess {
  readonly pid: number | undefined;
  readonly argv: readonly string[];
  readonly stdin: Writable | null;
  readonly stdout: Readable;
  /** Extra output pipes: outputs[0] is fd 3. */
  readonly outputs: readonly Readable[];
  /** Resolves on exit 0 or after kill(); rejects with FfmpegError otherwise. Never unhandled. */
  readonly done: Promise<FfmpegExit>;
  /** True once the child has exited. */
  readonly exited: boolean;
  stderrTail(): string;
  /** Idempotent; a no-op once the child has exited. */
  kill(signal?: NodeJS.Signals): void;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of live) {
      try { child.kill('SIGKILL'); } catch { /* already gone */ }
    }
  });
}

/** Pids of ffmpeg children this process started and that have not exited yet (for leak checks in tests). */
export function liveFfmpegPids(): number[] {
  return [...live].map((c) => c.pid).filter((p): p is number => typeof p === 'number');
}

/**
 * Resolves once the child with this pid (one this process started) has exited; at once if it is not running.
 * kill() only sends the signal: a caller that must not settle while its child lives awaits this after it.
 */
export function ffmpegExited(pid: number | undefined): Promise<void> {
  const child = [...live].find((c) => c.pid === pid);
  if (!child) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });
}

export function spawnFfmpeg(binary: string, argv: readonly string[], options: SpawnFfmpegOptions = {}): FfmpegProcess {
  const extra = options.extraOutputs ?? 0;
  const tailBytes = options.stderrTailBytes ?? 8192;
  const label = options.label ?? 'ffmpeg';
  const stdio: ('pipe' | 'ignore')[] = [options.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'];
  for (let i = 0; i < extra; i++) stdio.push('pipe');

  installExitHook();
  // Through `nice` only when the binary is a path that exists: a missing ffmpeg must still fail as ENOENT here
  // (E_FFMPEG_NOT_FOUND), not as `nice` exiting 127.
  const how = niceCommand(binary, argv, {
    niceness: options.niceness, platform: process.platform, niceBinary: options.niceness && existsSync(binary) ? findNice() : undefined,
  });
  const child = spawn(how.command, [...how.args], { stdio, windowsHide: true });
  live.add(child);
  if (options.niceness && !how.viaNice && child.pid !== undefined) {
    try { setPriority(child.pid, options.niceness); } catch { /* not permitted here: leave the priority */ }
  }

  let tail = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (s: string) => {
    tail += s;
    if (tail.length > tailBytes * 2) tail = tail.slice(-tailBytes);
  });
  const stderrTail = () => tail.slice(-tailBytes);

  let killRequested = false;
  let exited = false;
  const fullArgv = [binary, ...argv];
  // Output pipes whose reader went away must not crash the process with EPIPE/ECONNRESET.
  const swallow = () => {};
  child.stdin?.on('error', swallow);
  for (let i = 1; i < stdio.length; i++) (child.stdio[i] as Readable | null)?.on('error', swallow);

  const done = new Promise<FfmpegExit>((resolve, reject) => {
    child.once('error', (err: NodeJS.ErrnoException) => {
      exited = true;
      live.delete(child);
      if (err.code === 'ENOENT' || err.code === 'EACCES') {
        reject(new MetacamError('E_FFMPEG_NOT_FOUND',
          `Cannot run ${binary} (${err.code}). Set FFMPEG_PATH/FFPROBE_PATH or reinstall with \`npm install\`.`, { cause: err }));
      } else {
        reject(new FfmpegError(`${label}: could not start`, { argv: fullArgv, exitStatus: null, signal: null, stderrTail: String(err) }));
      }
    });
    // 'exit', not 'close': 'close' waits for every pipe to drain, and a paused reader may never drain them.
    child.once('exit', (code, signal) => {
      exited = true;
      live.delete(child);
      if (code === 0) resolve({ exitStatus: 0, signal: null, killed: killRequested });
      else if (killRequested) resolve({ exitStatus: code, signal, killed: true });
      else reject(new FfmpegError(`${label} failed`, { argv: fullArgv, exitStatus: code, signal, stderrTail: stderrTail() }));
    });
  });
  // Callers may attach later (or never, when they kill on teardown); avoid unhandled-rejection crashes.
  done.catch(() => {});

  return {
    pid: child.pid,
    argv: fullArgv,
    stdin: child.stdin,
    stdout: child.stdout!,
    outputs: child.stdio.slice(3) as Readable[],
    done,
    get exited() { return exited; },
    stderrTail,
    kill(signal: NodeJS.Signals = 'SIGKILL') {
      if (exited || child.exitCode !== null || child.signalCode !== null) return;
      killRequested = true;
      try { child.kill(signal); } catch { /* raced with exit */ }
      for (let i = 0; i < stdio.length; i++) (child.stdio[i] as Readable | Writable | null)?.destroy();
    },
  };
}

/** Runs a short-lived child to completion and returns its stdout (ffprobe, image writes). */
export async function runFfmpeg(
  binary: string,
  argv: readonly string[],
  options: SpawnFfmpegOptions & { input?: Uint8Array; maxStdoutBytes?: number } = {},
): Promise<Buffer> {
  const proc = spawnFfmpeg(binary, argv, { ...options, stdin: options.input !== undefined });
  const chunks: Buffer[] = [];
  let size = 0;
  const max = options.maxStdoutBytes ?? 256 * 1024 * 1024;
  proc.stdout.on('data', (c: Buffer) => {
    size += c.length;
    if (size > max) proc.kill();
    else chunks.push(c);
  });
  if (options.input !== undefined && proc.stdin) proc.stdin.end(options.input);
  const stdoutEnded = new Promise<void>((resolve) => { proc.stdout.once('close', resolve); proc.stdout.once('end', resolve); });
  try {
    const exit = await proc.done;
    await stdoutEnded;
    if (exit.killed) {
      throw new FfmpegError(`${options.label ?? 'ffmpeg'}: output exceeded ${max} bytes`, {
        argv: proc.argv, exitStatus: exit.exitStatus, signal: exit.signal, stderrTail: proc.stderrTail(),
      });
    }
  } finally {
    proc.kill();
  }
  return Buffer.concat(chunks);
}
