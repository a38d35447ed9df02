import { describe, expect, it } from 'vitest';
import { canonicalJson, joinJobId, runKey, segmentJobId } from './segment-job-id.js';

describe('segment job ids', () => {
  const sha = 'a'.repeat(64);
  it('do not depend on key order or undefined fields', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: undefined } })).toBe('{"a":{"d":[1,{"x":1,"y":2}]},"b":1}');
    expect(runKey(sha, { topK: 5, smoothSeconds: 0.5 })).toBe(runKey(sha, { smoothSeconds: 0.5, topK: 5 }));
  });
  it.each([
    ['another input', 'b'.repeat(64), { topK: 5 }],
    ['other settings', 'a'.repeat(64), { topK: 6 }],
  ])('change with %s', (_what, otherSha, settings) => {
    expect(runKey(otherSha, settings)).not.toBe(runKey(sha, { topK: 5 }));
  });
  it('are BullMQ-safe custom ids (no colon) and differ per segment', () => {
    const key = runKey(sha, {});
    expect(segmentJobId(key, 0)).not.toBe(segmentJobId(key, 1));
    for (const id of [segmentJobId(key, 3), joinJobId(key)]) expect(id).toMatch(/^[a-z]+-[0-9a-f]{32}(-\d+)?$/);
  });
});
