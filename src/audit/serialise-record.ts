/**
 * Turns a record into its one-line JSON form. JSON.stringify silently writes NaN/Infinity as null, which would
 * put a number the pipeline never produced into an audit log; we refuse instead, naming the field.
 */
import { MetacamError } from '../errors.js';

function assertFinite(value: unknown, path: string): void {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      throw new MetacamError('E_AUDIT', `audit record field ${path} is ${value}; only finite numbers can be logged (a bug upstream)`);
    }
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => assertFinite(v, `${path}[${i}]`));
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) assertFinite(v, `${path}.${k}`);
  }
}

export function serialiseRecord(record: object): string {
  assertFinite(record, '$');
  // JSON.stringify escapes control characters, so the result never contains a raw newline.
  return JSON.stringify(record);
}
