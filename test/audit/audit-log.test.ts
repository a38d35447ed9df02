/**
 * The audit log end to end: a 30-frame log from hand-made FrameExplanations through the real writer, every record
 * validated with ajv against the published schema, then `verify` on the intact log and on tampered copies, with
 * the reported line pinned for each kind of tampering.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuditWriter, frameRecord, verifyAuditLog, verifyExitCode, type AuditStatus } from '../../src/audit/index.js';
import { SAMPLE_HEADER, sampleExplanation, samplePixels, writeSampleLog } from './fixtures/sample-log.js';

const dir = mkdtempSync(join(tmpdir(), 'metacam-audit-'));
const logPath = join(dir, 'run.jsonl');
let original: string;
let lines: string[];
const schema = JSON.parse(readFileSync(new URL('../../schemas/audit-record.schema.json', import.meta.url), 'utf8'));
const validate = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true }).compile(schema);

const sha = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');

beforeAll(async () => {
  await writeSampleLog(logPath, 30);
  original = readFileSync(logPath, 'utf8');
  lines = original.split('\n').slice(0, -1);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function variant(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('a 30-frame log', () => {
  it('has a header, 30 frames in order and a footer, every line ending in one newline', () => {
    expect(original.endsWith('}\n')).toBe(true);
    expect(lines).toHaveLength(32);
    const recs = lines.map((l) => JSON.parse(l));
    expect(recs[0].type).toBe('header');
    expect(recs.slice(1, 31).map((r) => r.index)).toEqual([...Array(30).keys()]);
    expect(recs[31]).toMatchObject({ type: 'footer', frames: 30, dropped: 0, exitReason: 'completed' });
    expect(recs[1]).toMatchObject({ pixelsSha256: sha(Buffer.from(samplePixels(0))), target: { label: 'Neutral' }, sceneCut: false });
  });

  it('validates record by record against schemas/audit-record.schema.json with ajv', () => {
    for (const [i, l] of lines.entries()) {
      const ok = validate(JSON.parse(l));
      expect(ok ? null : { line: i + 1, errors: validate.errors }).toBeNull();
    }
  });

  it.each([
    ['a frame without pixelsSha256', 1, (r: any) => { delete r.pixelsSha256; }],
    ['a frame with a negative area', 2, (r: any) => { r.consensus.areaPercent = -1; }],
    ['a frame with an unknown field', 3, (r: any) => { r.extra = 1; }],
    ['a frame with 6 top classes', 4, (r: any) => { r.top5.push(r.top5[0], r.top5[0]); }],
    ['a header with prev set', 0, (r: any) => { r.prev = 'a'.repeat(64); }],
    ['a header with an empty method list', 0, (r: any) => { r.methods = []; }],
    ['a footer with an unknown exit reason', 31, (r: any) => { r.exitReason = 'crashed'; }],
    ['a record of unknown type', 5, (r: any) => { r.type = 'note'; }],
    ['a merged member with an unknown reason', 1, (r: any) => { r.merged[0].reason = 'similar'; }],
    ['a merged member further than 1e-6 from its kept member', 1, (r: any) => { r.merged[0].maxDifference = 0.01; }],
    ['a merged member without the member it equals', 1, (r: any) => { delete r.merged[0].into; }],
    ['a merged member with an unknown field', 1, (r: any) => { r.merged[0].why = 'same'; }],
  ])('the schema rejects %s', (_name, line, mutate) => {
    const rec = JSON.parse(lines[line]!);
    expect(validate(rec)).toBe(true);
    mutate(rec);
    expect(validate(rec)).toBe(false);
  });

  it('chains: prev is the sha256 of the previous line, and the footer seal follows the documented rule', () => {
    const recs = lines.map((l) => JSON.parse(l));
    expect(recs[0].prev).toBeNull();
    for (let i = 1; i < lines.length; i++) expect(recs[i].prev).toBe(sha(lines[i - 1]!));
    const footer = lines[31]!;
    expect(footer.endsWith(`"chainSha256":"${recs[31].chainSha256}"}`)).toBe(true);
    const zeroed = footer.slice(0, -66) + '0'.repeat(64) + '"}';
    const expected = sha(lines.slice(0, 31).map((l) => sha(l)).join('') + sha(zeroed));
    expect(recs[31].chainSha256).toBe(expected);
  });

  it('verifies as intact (exit 0)', async () => {
    const v = await verifyAuditLog(logPath);
    expect(v).toMatchObject({ status: 'intact', frames: 30, lines: 32 });
    expect(v.firstBadLine).toBeUndefined();
    expect(v.footer?.exitReason).toBe('completed');
    expect(v.header?.layer).toBe('out_relu');
    expect(verifyExitCode(v.status)).toBe(0);
  });
});

// Lines: 1 header, 2..31 frames 0..29, 32 footer. Line 16 holds frame 14.
const flipPixelHashByte = (l: string) => l.replace(/"pixelsSha256":"(.)/, (_m, c: string) => `"pixelsSha256":"${c === 'a' ? 'b' : 'a'}`);
const replaceLine = (n: number, f: (l: string) => string) => (ls: string[]) => ls.map((l, i) => (i === n - 1 ? f(l) : l));

describe.each<[string, (ls: string[]) => string[], AuditStatus, number | undefined]>([
  ['one byte changed in a middle record (line 16)', replaceLine(16, flipPixelHashByte), 'broken', 16],
  ['one byte of a score changed (line 20)', replaceLine(20, (l) => l.replace(/"score":0\.(\d)/, (_m, d: string) => `"score":0.${d === '9' ? '8' : Number(d) + 1}`)), 'broken', 20],
  ['one byte changed in the header', replaceLine(1, (l) => l.replace('"layer":"out_relu"', '"layer":"out_relv"')), 'broken', 1],
  ['one byte changed in the footer', replaceLine(32, (l) => l.replace('"exitReason":"completed"', '"exitReason":"completed"').replace('"dropped":0', '"dropped":1')), 'broken', 32],
  ['a middle record made invalid JSON (line 16)', replaceLine(16, (l) => '[' + l.slice(1)), 'broken', 16],
  ['a middle record made schema-invalid (line 16)', replaceLine(16, (l) => l.replace('"sceneCut":false', '"sceneCut":"no"')), 'broken', 16],
  ['line 16 deleted (reported: line 15, the last line before the gap)', (ls) => ls.filter((_, i) => i !== 15), 'broken', 15],
  ['lines 16 and 17 swapped (reported: line 15, the line before the pair)', (ls) => { const c = [...ls]; [c[15], c[16]] = [c[16]!, c[15]!]; return c; }, 'broken', 15],
  ['the header deleted', (ls) => ls.slice(1), 'unreadable', undefined],
  ['a record appended after the footer', (ls) => [...ls, ls[5]!], 'broken', 33],
  ['a second header inserted (line 2)', (ls) => [ls[0]!, ls[0]!.replace('"prev":null', `"prev":"${sha(ls[0]!)}"`), ...ls.slice(1)], 'broken', 2],
  ['the footer dropped', (ls) => ls.slice(0, -1), 'truncated', undefined],
  ['only the header left', (ls) => ls.slice(0, 1), 'truncated', undefined],
])('tampering: %s', (name, edit, status, line) => {
  it(`→ ${status}${line ? ` at line ${line}` : ''}`, async () => {
    const p = variant(`${name.replace(/\W+/g, '-')}.jsonl`, edit(lines).join('\n') + '\n');
    expect(readFileSync(p, 'utf8')).not.toBe(original);
    const v = await verifyAuditLog(p);
    expect({ status: v.status, firstBadLine: v.firstBadLine }).toEqual({ status, firstBadLine: line });
    expect(v.reason).toBeTruthy();
    expect(verifyExitCode(v.status)).toBe(status === 'unreadable' ? 2 : 1);
  });
});

describe('truncation and unreadable files', () => {
  it('a write cut mid-record is truncated at that line; the lines before count', async () => {
    const cut = lines.slice(0, 19).join('\n') + '\n' + lines[19]!.slice(0, 40);
    const v = await verifyAuditLog(variant('cut.jsonl', cut));
    expect(v).toMatchObject({ status: 'truncated', firstBadLine: 20, frames: 18 });
  });

  it('a missing final newline after an intact footer is still intact', async () => {
    const v = await verifyAuditLog(variant('no-final-newline.jsonl', original.slice(0, -1)));
    expect(v.status).toBe('intact');
  });

  it('CRLF line endings change the bytes and break the chain', async () => {
    const v = await verifyAuditLog(variant('crlf.jsonl', lines.join('\r\n') + '\r\n'));
    expect(v).toMatchObject({ status: 'broken', firstBadLine: 1 });
  });

  it.each([
    ['a missing file', () => join(dir, 'nope.jsonl')],
    ['a directory', () => { const d = join(dir, 'a-dir'); mkdirSync(d, { recursive: true }); return d; }],
    ['an empty file', () => variant('empty.jsonl', '')],
    ['a non-JSON file', () => variant('text.jsonl', 'hello\nworld\n')],
    ['JSON that is not an audit log', () => variant('other.jsonl', '{"a":1}\n{"b":2}\n')],
    ['a log from a newer schema version', () => variant('future.jsonl', lines[0]!.replace('"schemaVersion":1', '"schemaVersion":2') + '\n')],
  ])('%s is unreadable (exit 2)', async (_n, make) => {
    const v = await verifyAuditLog(make());
    expect(v.status).toBe('unreadable');
    expect(v.reason).toBeTruthy();
    expect(verifyExitCode(v.status)).toBe(2);
  });
});

describe('the writer', () => {
  it('writes an interrupted footer, and close is idempotent', async () => {
    const p = join(dir, 'interrupted.jsonl');
    const w = createAuditWriter(p, SAMPLE_HEADER);
    for (let i = 0; i < 5; i++) w.write(frameRecord(sampleExplanation(i), samplePixels(i)));
    const f1 = await w.close({ exitReason: 'interrupted' });
    const f2 = await w.close({ exitReason: 'completed' });
    const f3 = w.closeSync('error');
    expect(f2).toBe(f1);
    expect(f3).toBe(f1);
    expect(w.closed).toBe(true);
    expect(w.write(frameRecord(sampleExplanation(5), samplePixels(5)))).toBe(false);
    const v = await verifyAuditLog(p);
    expect(v).toMatchObject({ status: 'intact', frames: 5, footer: { exitReason: 'interrupted', frames: 5 } });
    expect(readFileSync(p, 'utf8').trim().split('\n')).toHaveLength(7);
  });

  it('closeSync writes an error footer with code and message', async () => {
    const p = join(dir, 'error.jsonl');
    const w = createAuditWriter(p, SAMPLE_HEADER);
    w.write(frameRecord(sampleExplanation(0), samplePixels(0)));
    const f = w.closeSync('error', { code: 'E_FFMPEG_FAILED', message: 'encoder died' });
    expect(f).toMatchObject({ exitReason: 'error', error: { code: 'E_FFMPEG_FAILED', message: 'encoder died' } });
    const v = await verifyAuditLog(p);
    expect(v).toMatchObject({ status: 'intact', footer: { exitReason: 'error', error: { code: 'E_FFMPEG_FAILED' } } });
  });

  it('buffers at most flushEvery records before writing', () => {
    const p = join(dir, 'flush.jsonl');
    const w = createAuditWriter(p, SAMPLE_HEADER, { flushEvery: 4, flushMs: 600_000 });
    const count = () => readFileSync(p, 'utf8').split('\n').length - 1;
    expect(count()).toBe(1); // the header is written at once
    for (let i = 0; i < 3; i++) w.write(frameRecord(sampleExplanation(i), samplePixels(i)));
    expect(count()).toBe(1);
    w.write(frameRecord(sampleExplanation(3), samplePixels(3)));
    expect(count()).toBe(5);
    w.write(frameRecord(sampleExplanation(4), samplePixels(4)));
    w.flush();
    expect(count()).toBe(6);
    w.closeSync('completed');
    expect(count()).toBe(7);
  });

  it('rejects out-of-order and duplicate frames, and non-finite numbers, with E_AUDIT', () => {
    const w = createAuditWriter(join(dir, 'order.jsonl'), SAMPLE_HEADER);
    try {
      w.write(frameRecord(sampleExplanation(3), samplePixels(3)));
      expect(() => w.write(frameRecord(sampleExplanation(3), samplePixels(3)))).toThrow(expect.objectContaining({ code: 'E_AUDIT' }));
      expect(() => w.write(frameRecord(sampleExplanation(1), samplePixels(1)))).toThrow(/increasing index order/);
      const bad = { ...sampleExplanation(4), consensus: { ...sampleExplanation(4).consensus, tauRaw: Number.NaN } };
      expect(() => w.write(frameRecord(bad, samplePixels(4)))).toThrow(/\$\.consensus\.tauRaw is NaN/);
      expect(w.write(frameRecord(sampleExplanation(5), samplePixels(5)))).toBe(true);
      expect(w.frames).toBe(2);
    } finally {
      w.closeSync('completed');
    }
  });

  it('takes prev from the chain, never from the caller', async () => {
    const p = join(dir, 'prev.jsonl');
    const w = createAuditWriter(p, SAMPLE_HEADER);
    w.write({ ...frameRecord(sampleExplanation(0), samplePixels(0)), prev: 'f'.repeat(64) } as never);
    w.closeSync('completed');
    expect((await verifyAuditLog(p)).status).toBe('intact');
  });

  it('fails with E_OUTPUT_WRITE when the folder does not exist', () => {
    expect(() => createAuditWriter(join(dir, 'no-such-dir', 'x.jsonl'), SAMPLE_HEADER)).toThrow(expect.objectContaining({ code: 'E_OUTPUT_WRITE' }));
  });
});
