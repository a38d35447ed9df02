/**
 * Which ffmpeg/ffprobe binaries to run, in order: FFMPEG_PATH/FFPROBE_PATH → ffmpeg-static (optional
 * dependency, installs on users' machines) → @ffmpeg-installer/@ffprobe-installer (binary shipped inside the
 * npm package) → `ffmpeg`/`ffprobe` on PATH. The choice and its version are reported by `metacam doctor`,
 * the CLI summary and the audit header.
 */
import { accessSync, chmodSync, constants, existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';
import { runFfmpeg } from './spawn-ffmpeg.js';
import { MetacamError } from '../errors.js';

export type FfmpegSource = 'env' | 'ffmpeg-static' | '@ffmpeg-installer' | 'path';

export interface FfmpegInfo {
  readonly ffmpegPath: string;
  readonly ffprobePath: string;
  readonly source: FfmpegSource;
  /** First line of `ffmpeg -version`, e.g. "ffmpeg version 5.1.6-0+deb12u1 …". */
  readonly version: string;
}

const require = createRequire(import.meta.url);

function executable(path: string | undefined | null): string | null {
  if (!path || !existsSync(path) || !statSync(path).isFile()) return null;
  try {
    accessSync(path, constants.X_OK);
  } catch {
    // Packages that ship a binary set the mode in an install script, which npm may not have run.
    try { chmodSync(path, 0o755); accessSync(path, constants.X_OK); } catch { return null; }
  }
  return path;
}

function fromPackage(name: string, pick: (mod: unknown) => string | undefined): string | null {
  try {
    return executable(pick(require(name)));
  } catch {
    return null;
  }
}

function onPath(name: string, envPath = process.env.PATH ?? ''): string | null {
  for (const dir of envPath.split(delimiter)) {
    if (!dir) continue;
    const found = executable(join(dir, name));
    if (found) return found;
  }
  return null;
}

/** The candidate pairs in resolution order; pure apart from file-system checks. */
export function findFfmpeg(env: NodeJS.ProcessEnv = process.env): { ffmpegPath: string; ffprobePath: string; source: FfmpegSource } {
  const envFf = executable(env.FFMPEG_PATH);
  if (env.FFMPEG_PATH && !envFf) {
    throw new MetacamError('E_FFMPEG_NOT_FOUND', `FFMPEG_PATH=${env.FFMPEG_PATH} is not an executable file; fix or unset it.`);
  }
  const envProbe = executable(env.FFPROBE_PATH);
  if (env.FFPROBE_PATH && !envProbe) {
    throw new MetacamError('E_FFMPEG_NOT_FOUND', `FFPROBE_PATH=${env.FFPROBE_PATH} is not an executable file; fix or unset it.`);
  }
  const probeFallback = () =>
    fromPackage('@ffprobe-installer/ffprobe', (m) => (m as { path?: string }).path) ?? onPath('ffprobe', env.PATH);
  if (envFf) {
    const ffprobePath = envProbe ?? onPath('ffprobe', env.PATH) ?? probeFallback();
    if (ffprobePath) return { ffmpegPath: envFf, ffprobePath, source: 'env' };
  }
  const staticFf = fromPackage('ffmpeg-static', (m) => m as string);
  if (staticFf) {
    const ffprobePath = envProbe ?? probeFallback();
    if (ffprobePath) return { ffmpegPath: staticFf, ffprobePath, source: 'ffmpeg-static' };
  }
  const installerFf = fromPackage('@ffmpeg-installer/ffmpeg', (m) => (m as { path?: string }).path);
  const installerProbe = fromPackage('@ffprobe-installer/ffprobe', (m) => (m as { path?: string }).path);
  if (installerFf && (envProbe ?? installerProbe)) {
    return { ffmpegPath: installerFf, ffprobePath: (envProbe ?? installerProbe)!, source: '@ffmpeg-installer' };
  }
  const pathFf = onPath('ffmpeg', env.PATH);
  const pathProbe = envProbe ?? onPath('ffprobe', env.PATH);
  if (pathFf && pathProbe) return { ffmpegPath: pathFf, ffprobePath: pathProbe, source: 'path' };
  throw new MetacamError(
    'E_FFMPEG_NOT_FOUND',
    'No ffmpeg/ffprobe found. Run `npm install` (ships @ffmpeg-installer/ffmpeg), install ffmpeg on PATH ' +
      '(e.g. `apt-get install ffmpeg`), or set FFMPEG_PATH and FFPROBE_PATH.',
  );
}

let cached: Promise<FfmpegInfo> | undefined;

/** Resolves once per process and caches the answer (including the version line). */
export function resolveFfmpeg(): Promise<FfmpegInfo> {
  cached ??= (async () => {
    const found = findFfmpeg();
    const stdout = (await runFfmpeg(found.ffmpegPath, ['-hide_banner', '-version'], { label: 'ffmpeg -version' })).toString('utf8');
    return { ...found, version: stdout.split('\n')[0]!.trim() };
  })();
  return cached;
}
