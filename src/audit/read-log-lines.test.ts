import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readLogLines } from './read-log-lines.js';

const dir = mkdtempSync(join(tmpdir(), 'metacam-lines-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function lines(content: Buffer | string) {
  const p = join(dir, 'f');
  writeFileSync(p, content);
  const out: { n: number; text: string; terminated: boolean }[] = [];
  for await (const l of readLogLines(p)) out.push({ n: l.number, text: l.bytes.toString('latin1'), terminated: l.terminated });
  return out;
}

describe('readLogLines', () => {
  it.each([
    ['', []],
    ['a\n', [{ n: 1, text: 'a', terminated: true }]],
    ['a\nb', [{ n: 1, text: 'a', terminated: true }, { n: 2, text: 'b', terminated: false }]],
    ['a\r\n\nb\n', [{ n: 1, text: 'a\r', terminated: true }, { n: 2, text: '', terminated: true }, { n: 3, text: 'b', terminated: true }]],
  ])('splits %j on 0x0A only, keeping every other byte', async (content, want) => {
    expect(await lines(content)).toEqual(want);
  });

  it('joins lines that span the 1 MiB read chunks, byte for byte', async () => {
    const long = 'x'.repeat((1 << 20) + 17);
    const bin = Buffer.concat([Buffer.from('head\n'), Buffer.from(long), Buffer.from('\n'), Buffer.from([0xff, 0xfe, 0x0a])]);
    const out = await lines(bin);
    expect(out.map((l) => l.text.length)).toEqual([4, long.length, 2]);
    expect(out[1]!.text).toBe(long);
    expect(out[2]!.text).toBe('\xff\xfe');
  });
});
