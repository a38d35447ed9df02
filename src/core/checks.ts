/**
 * The two value checks every stage's settings use: a number within a range, and one of a list. A stage defines
 * each option's range or list once, next to its default; the CLI checks a flag against that same definition
 * (naming the flag), and the stage checks library calls (naming the option). Errors are E_ARG.
 */
import { MetacamError } from '../errors.js';

export interface NumberRange {
  readonly min?: number;
  readonly max?: number;
  /** Whole numbers only. */
  readonly integer?: boolean;
  /** min and max themselves are excluded. */
  readonly exclusive?: boolean;
  /** Only min is excluded: (min, max]. */
  readonly minExclusive?: boolean;
}

function bounds({ min = -Infinity, max = Infinity, exclusive = false, minExclusive = false }: NumberRange): string {
  if (exclusive) return `strictly between ${min} and ${max}`;
  return minExclusive ? `greater than ${min} and at most ${max}` : `from ${min} to ${max}`;
}

export function isInRange(v: number, range: NumberRange): boolean {
  const { min = -Infinity, max = Infinity, integer = false, exclusive = false, minExclusive = false } = range;
  if (!Number.isFinite(v) || (integer && !Number.isInteger(v))) return false;
  if (exclusive) return v > min && v < max;
  return (minExclusive ? v > min : v >= min) && v <= max;
}

/** `value` when it is a number in `range`; else E_ARG "<name> must be a number from … to …; got '…'." */
export function checkNumber(name: string, value: unknown, range: NumberRange, shown: string = String(value)): number {
  if (typeof value !== 'number' || !isInRange(value, range)) {
    throw new MetacamError('E_ARG', `${name} must be ${range.integer ? 'an integer' : 'a number'} ${bounds(range)}; got '${shown}'.`);
  }
  return value;
}

/** `value` when it is one of `valid`; else E_ARG naming the valid values. */
export function checkOneOf<T extends string>(name: string, value: unknown, valid: readonly T[]): T {
  if (typeof value === 'string' && (valid as readonly string[]).includes(value)) return value as T;
  throw new MetacamError('E_ARG', `${name} must be one of ${valid.join(', ')}; got '${String(value)}'.`);
}

/** A copy of `o` without its undefined fields, so spreading it over defaults keeps the defaults. */
export function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
