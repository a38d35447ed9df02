import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { defaultPublicDir, readStatic, staticNameFor } from './static-files.js';

describe('staticNameFor', () => {
  it.each([
    ['/', 'index.html'], ['/index.html', 'index.html'], ['/viewer.js', 'viewer.js'], ['/viewer.css', 'viewer.css'],
  ])('%s → %s', (p, name) => expect(staticNameFor(p)).toEqual({ ok: true, name }));

  it.each([
    '/../package.json', '/..%2fpackage.json', '/%2e%2e/package.json', '/%2e%2e%2fpackage.json', '/sub/x.js',
    '/..\\x.js', '/.env.js', '/%00.js', '/C:/x.js', '//etc/passwd', '/%2F%2Fetc%2Fpasswd',
  ])('refuses %s', (p) => {
    const r = staticNameFor(p);
    expect(r.ok).toBe(false);
  });

  it('answers 400 for malformed percent-encoding and 404 for unknown types', () => {
    expect(staticNameFor('/%E0%A4%A.js')).toMatchObject({ ok: false, status: 400 });
    expect(staticNameFor('/package.json')).toMatchObject({ ok: false, status: 404 });
  });
});

describe('readStatic', () => {
  it('reads files inside the folder and nothing outside', async () => {
    const dir = defaultPublicDir();
    expect(existsSync(join(dir, 'index.html'))).toBe(true);
    expect((await readStatic(dir, 'index.html'))?.toString()).toMatch(/<html/i);
    expect(await readStatic(dir, '../preview-server.ts')).toBeUndefined();
    expect(await readStatic(dir, '/etc/passwd')).toBeUndefined();
  });
});
