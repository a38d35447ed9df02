/**
 * The static route for the viewer's files. Only plain files directly inside the public folder are served,
 * looked up by name: a request path is decoded once, and anything with a separator, a dot-dot, a NUL, a
 * backslash or a leading dot is refused before the file system is touched. The resolved path is then checked
 * to lie inside the folder anyway (defence in depth).
 */
import { readFile, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

export type StaticLookup =
  | { readonly ok: true; readonly name: string }
  | { readonly ok: false; readonly status: 400 | 403 | 404; readonly reason: string };

/** Maps a URL pathname to a file name in the public folder, or refuses it. Pure. */
export function staticNameFor(pathname: string): StaticLookup {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return { ok: false, status: 400, reason: 'malformed percent-encoding' };
  }
  if (decoded === '/' || decoded === '/index.html') return { ok: true, name: 'index.html' };
  if (!decoded.startsWith('/')) return { ok: false, status: 400, reason: 'path must start with /' };
  const name = decoded.slice(1);
  if (
    name.length === 0 || name.length > 100 || name.includes('/') || name.includes('\\') || name.includes('\0') ||
    name.includes('..') || name.startsWith('.') || /^[a-zA-Z]:/.test(name)
  ) {
    return { ok: false, status: 403, reason: 'forbidden path' };
  }
  if (!Object.hasOwn(TYPES, extname(name).toLowerCase())) return { ok: false, status: 404, reason: 'not found' };
  return { ok: true, name };
}

export function contentTypeOf(name: string): string {
  return TYPES[extname(name).toLowerCase()] ?? 'application/octet-stream';
}

/** Reads `name` from `dir` if it is a regular file inside it; undefined otherwise. */
export async function readStatic(dir: string, name: string): Promise<Buffer | undefined> {
  const root = resolve(dir);
  const full = resolve(root, name);
  if (!full.startsWith(root + sep)) return undefined;
  try {
    if (!(await stat(full)).isFile()) return undefined;
    return await readFile(full);
  } catch {
    return undefined;
  }
}

/**
 * The viewer's folder: next to this module in the source tree (run through tsx), or, for a tsc build in
 * dist/src/server, back in the source tree (tsc does not copy non-TS files).
 */
export function defaultPublicDir(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const candidates = [join(here, 'public'), resolve(here, '../../../src/server/public')];
  return candidates.find((c) => existsSync(join(c, 'index.html'))) ?? candidates[0]!;
}
