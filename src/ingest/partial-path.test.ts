import { describe, expect, it } from 'vitest';
import { partialPathFor } from './partial-path.js';

describe('partialPathFor', () => {
  it.each([
    ['out/demo.mp4', 'out/demo.partial.mp4'],
    ['a.b/c', 'a.b/c.partial.mp4'],
    ['x.png', 'x.partial.png'],
  ])('%s → %s', (p, want) => expect(partialPathFor(p)).toBe(want));
});
