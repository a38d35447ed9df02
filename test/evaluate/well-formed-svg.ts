/** A minimal XML well-formedness check for the SVG plot (no XML parser is installed; chromium checks the rest). */
import { expect } from 'vitest';

/** Every tag closes in order, attributes are quoted, text has no raw '<' or unescaped '&'. */
export function expectWellFormedSvg(svg: string): void {
  expect(svg.trimStart().startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
  const stack: string[] = [];
  const tag = /<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g;
  let last = 0;
  for (let m = tag.exec(svg); m; m = tag.exec(svg)) {
    expect(svg.slice(last, m.index)).not.toMatch(/<|&(?!(amp|lt|gt|quot|#39);)/);
    last = tag.lastIndex;
    if (m[1]) expect(stack.pop()).toBe(m[2]);
    else if (!m[4]) stack.push(m[2]!);
  }
  expect(svg.slice(last).trim()).toBe('');
  expect(stack).toEqual([]);
}
