/**
 * Job ids that name the work, not the attempt: sha256 of the input's bytes, the canonical settings and the
 * segment index. A coordinator restarted with the same command computes the same ids, so BullMQ keeps the jobs
 * already there (adding an existing id is a no-op) and completed segments are not explained again.
 */
import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every level, so equal settings always hash alike. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The run's key: input hash + settings (+ the segment length, since it changes every segment's frames). */
export function runKey(inputSha256: string, settings: unknown): string {
  return createHash('sha256').update(inputSha256).update('\n').update(canonicalJson(settings)).digest('hex').slice(0, 32);
}

/** BullMQ forbids ':' in custom ids; these are hex and '-' only. */
export function segmentJobId(key: string, index: number): string {
  return `seg-${key}-${index}`;
}

export function joinJobId(key: string): string {
  return `join-${key}`;
}
