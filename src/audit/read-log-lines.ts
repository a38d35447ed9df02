/**
 * Streams a JSON Lines file as exact byte lines. readline would decode to strings and treat "\r\n" as a line
 * end, both of which change the bytes the chain hashes; here a line is everything between two 0x0A bytes.
 */
import { createReadStream } from 'node:fs';

export interface LogLine {
  /** 1-based line number. */
  readonly number: number;
  /** The line's bytes without its terminating newline. */
  readonly bytes: Buffer;
  /** False only for a final fragment with no newline after it (a write cut short). */
  readonly terminated: boolean;
}

export async function* readLogLines(path: string): AsyncGenerator<LogLine> {
  let carry: Buffer[] = [];
  let number = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    const buf = chunk as Buffer;
    let start = 0;
    for (let nl = buf.indexOf(0x0a, start); nl !== -1; nl = buf.indexOf(0x0a, start)) {
      const piece = buf.subarray(start, nl);
      const bytes = carry.length ? Buffer.concat([...carry, piece]) : Buffer.from(piece);
      carry = [];
      yield { number: ++number, bytes, terminated: true };
      start = nl + 1;
    }
    if (start < buf.length) carry.push(Buffer.from(buf.subarray(start)));
  }
  if (carry.length) yield { number: ++number, bytes: Buffer.concat(carry), terminated: false };
}
