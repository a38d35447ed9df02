/**
 * Builds the identity facts of an audit header: what exactly was analysed (input bytes) with what exactly
 * (model files). A reviewer re-hashes the same files and compares.
 */
import { stat } from 'node:fs/promises';
import { MetacamError, type ErrorCode } from '../errors.js';
import type { FileDigest } from './audit-record.js';
import { sha256File, sha256Hex } from './sha256.js';

/** path, size and sha256 of an input file. */
export async function fileDigest(path: string, missingCode: ErrorCode = 'E_INPUT_MISSING'): Promise<FileDigest> {
  let sizeBytes: number;
  try {
    const s = await stat(path);
    if (!s.isFile()) throw new Error('not a regular file');
    sizeBytes = s.size;
  } catch (cause) {
    throw new MetacamError(missingCode, `cannot hash ${path} for the audit header: ${(cause as Error).message}`, { cause });
  }
  return { path, sizeBytes, sha256: await sha256File(path) };
}

/** The header's `input` for a live source (camera, stream URL): no size, no hash. */
export function liveInput(source: string): { path: string; sizeBytes: null; sha256: null } {
  return { path: source, sizeBytes: null, sha256: null };
}

/**
 * The model's combined digest: sha256 of the manifest "<sha256>  <path>\n" (sha256sum format) over its files
 * in the given order — reproducible with `sha256sum f1 f2 … | sha256sum`.
 */
export function combineDigests(files: readonly FileDigest[]): string {
  return sha256Hex(files.map((f) => `${f.sha256}  ${f.path}\n`).join(''));
}

export async function modelDigest(id: string, paths: readonly string[]): Promise<{ id: string; sha256: string; files: FileDigest[] }> {
  const files: FileDigest[] = [];
  for (const p of paths) files.push(await fileDigest(p, 'E_MODEL_NOT_FOUND'));
  return { id, sha256: combineDigests(files), files };
}
