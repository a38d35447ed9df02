/**
 * `--labels labels.txt`: one class name per line (trailing blank lines ignored), for any model format. The
 * count must equal the model's classes, or the overlay would name the wrong class: a typed error says both.
 */
import { existsSync, readFileSync } from 'node:fs';
import { MetacamError } from '../../errors.js';

export function readLabelsFile(path: string, classes: number): string[] {
  if (!existsSync(path)) throw new MetacamError('E_ARG', `--labels: file '${path}' does not exist`);
  const lines = readFileSync(path, 'utf8').split(/\r?\n/).map((l) => l.trim());
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  if (lines.length !== classes) {
    throw new MetacamError('E_ARG', `--labels: '${path}' has ${lines.length} labels, but the model has ${classes} classes; give one label per line, in class order`);
  }
  return lines;
}
