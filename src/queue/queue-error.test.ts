import { UnrecoverableError } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { MetacamError } from '../errors.js';
import { fromJobFailure, toJobError } from './queue-error.js';

describe('errors across Redis', () => {
  it.each([
    [new MetacamError('E_MODEL_NOT_FOUND', 'no model'), true, 'E_MODEL_NOT_FOUND'],
    [new MetacamError('E_FFMPEG_FAILED', 'ffmpeg died'), false, 'E_FFMPEG_FAILED'],
    [new Error('plain'), false, 'E_INTERNAL'],
  ])('%s: unrecoverable %s, back as %s', (error, unrecoverable, code) => {
    const sent = toJobError(error);
    expect(sent instanceof UnrecoverableError).toBe(unrecoverable);
    const back = fromJobFailure(sent.message, 'segment 1');
    expect(back.code).toBe(code);
    expect(back.message).toContain(error.message);
  });
  it('a failure without a reason is still a typed error', () => {
    expect(fromJobFailure(undefined, 'join')).toMatchObject({ code: 'E_INTERNAL', message: 'join: failed without a reason' });
  });
});
