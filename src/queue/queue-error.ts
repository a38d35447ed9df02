/**
 * Errors crossing Redis. BullMQ keeps only a failed job's message, so a worker's MetacamError travels as
 * "[E_CODE] message" and the coordinator turns it back into a MetacamError with that code. User errors (a missing
 * shared path, a bad model) are not retried: retrying cannot fix them.
 */
import { UnrecoverableError } from 'bullmq';
import { isMetacamError, MetacamError, type ErrorCode } from '../errors.js';

export function toJobError(e: unknown): Error {
  if (!isMetacamError(e)) return e instanceof Error ? e : new Error(String(e));
  const message = `[${e.code}] ${e.message}`;
  return e.exitCode === 2 ? new UnrecoverableError(message) : new Error(message);
}

export function fromJobFailure(reason: string | undefined, what: string): MetacamError {
  const m = /^\[(E_[A-Z_]+)\] ([\s\S]*)$/.exec(reason ?? '');
  if (m) return new MetacamError(m[1] as ErrorCode, `${what}: ${m[2]}`);
  return new MetacamError('E_INTERNAL', `${what}: ${reason ?? 'failed without a reason'}`);
}
