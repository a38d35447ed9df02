/**
 * SHA-256 helpers shared by the writer, the verifier and the header builder. The audit chain hashes exact
 * bytes, so everything here takes bytes (or a string that is hashed as UTF-8) and returns lowercase hex.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Streams a file through SHA-256 (inputs can be gigabytes). */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export const ZERO_SHA256 = '0'.repeat(64);
export const SHA256_HEX = /^[0-9a-f]{64}$/;
