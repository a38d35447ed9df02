/**
 * The hash chain. Lines L_1..L_n (exact bytes, no newline), h_i = hex sha256(L_i):
 *   - record i > 1 carries prev = h_(i-1); the header carries prev = null;
 *   - the footer ends with "chainSha256":"<hex>"} and its chainSha256 =
 *     sha256(h_1 ‖ … ‖ h_(n-1) ‖ z), z = hex sha256(footer line with the 64 hex digits replaced by '0'),
 *     the hex strings concatenated as ASCII.
 * chainSha256 thus seals every byte of the file, including the footer's own fields, and can be computed
 * incrementally by both the writer and the verifier.
 */
import { createHash, type Hash } from 'node:crypto';
import { sha256Hex, ZERO_SHA256 } from './sha256.js';

const SEAL_SUFFIX = /"chainSha256":"([0-9a-f]{64})"\}$/;

export class ChainAccumulator {
  private readonly hash: Hash = createHash('sha256');
  private last: string | null = null;

  /** Adds a non-footer line; returns its hash (the next record's prev). */
  add(line: Uint8Array | string): string {
    const h = sha256Hex(line);
    this.hash.update(h, 'ascii');
    this.last = h;
    return h;
  }

  /** prev for the next record: the hash of the last line added (null before the header). */
  get prev(): string | null {
    return this.last;
  }

  /** The seal for a footer line whose chainSha256 value is 64 zeros (does not consume the accumulator). */
  seal(zeroedFooterLine: Uint8Array | string): string {
    return this.hash.copy().update(sha256Hex(zeroedFooterLine), 'ascii').digest('hex');
  }
}

/** Writer side: the footer serialised with a zero seal → the same line with the real seal in place. */
export function sealFooterLine(zeroedLine: string, chain: ChainAccumulator): string {
  const m = SEAL_SUFFIX.exec(zeroedLine);
  if (!m || m[1] !== ZERO_SHA256) throw new Error('footer line must end with a zero chainSha256 (internal)');
  return zeroedLine.slice(0, zeroedLine.length - 66) + chain.seal(zeroedLine) + '"}';
}

/**
 * Verifier side: the seal claimed by a footer line and the line with the seal zeroed, or null when the line does
 * not end with the required "chainSha256":"<64 hex>"} suffix.
 */
export function splitFooterSeal(line: Buffer): { claimed: string; zeroed: Buffer } | null {
  const tail = line.subarray(Math.max(0, line.length - 100)).toString('latin1');
  const m = SEAL_SUFFIX.exec(tail);
  if (!m) return null;
  const zeroed = Buffer.from(line);
  zeroed.fill(0x30, line.length - 66, line.length - 2);
  return { claimed: m[1]!, zeroed };
}
