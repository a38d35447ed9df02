/**
 * Raw flag strings → typed values: node's parseArgs with errors that point at `--help`, numbers checked against a
 * stage's range, comma lists, fixed-length tuples, one-of choices, the single positional. Each error is E_ARG and
 * names the flag. The command-option shapes built from these live in args.ts.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { MetacamError } from '../errors.js';
import { checkNumber, checkOneOf, type NumberRange } from '../core/checks.js';

export type FlagOptions = NonNullable<ParseArgsConfig['options']>;

export function argError(message: string): MetacamError {
  return new MetacamError('E_ARG', message);
}

export function parse(argv: readonly string[], options: FlagOptions, command: string) {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new MetacamError('E_ARG', `${(e as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, '')}. See \`metacam ${command} --help\`.`, { cause: e });
  }
}

/** A number flag: `fallback` when absent, else checked against `range` (E_ARG naming the flag). */
export function parseNumber(flag: string, raw: string | undefined, fallback: number, range: NumberRange = {}): number {
  if (raw === undefined) return fallback;
  const v = raw.trim() === '' ? NaN : Number(raw);
  return checkNumber(`--${flag}`, v, range, raw);
}

export function parseList(raw: string | undefined): string[] | undefined {
  if (raw === undefined) return undefined;
  const items = raw.split(',').map((s) => s.trim()).filter(Boolean);
  return items.length ? items : undefined;
}

export function parseTuple<N extends 2 | 3>(flag: string, raw: string | undefined, n: N): number[] | undefined {
  if (raw === undefined) return undefined;
  const parts = raw.split(',').map((s) => Number(s.trim()));
  if (parts.length !== n || parts.some((p) => !Number.isFinite(p))) {
    throw argError(`--${flag} takes ${n} comma-separated numbers (e.g. ${n === 2 ? '0,1' : '0.485,0.456,0.406'}); got '${raw}'.`);
  }
  return parts;
}

export function oneOf<T extends string>(flag: string, raw: string | undefined, valid: readonly T[], fallback: T): T {
  return raw === undefined ? fallback : checkOneOf(`--${flag}`, raw, valid);
}

export function onePositional(positionals: string[], what: string, command: string): string {
  if (positionals.length === 0) throw argError(`metacam ${command} needs ${what}. See \`metacam ${command} --help\`.`);
  if (positionals.length > 1) throw argError(`metacam ${command} takes one ${what}; got ${positionals.length}: ${positionals.join(' ')}.`);
  return positionals[0]!;
}

/** True when --help/-h was given: the caller prints help instead of parsing further. */
export function wantsHelp(argv: readonly string[]): boolean {
  return argv.includes('--help') || argv.includes('-h');
}
