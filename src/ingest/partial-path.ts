/**
 * Outputs are written under a name that says they are unfinished and renamed on success, so a crash never
 * leaves a half-written file that looks complete: `out.mp4` is written as `out.partial.mp4`.
 */
import { extname } from 'node:path';

export function partialPathFor(output: string): string {
  const ext = extname(output);
  const stem = ext ? output.slice(0, -ext.length) : output;
  return `${stem}.partial${ext || '.mp4'}`;
}
