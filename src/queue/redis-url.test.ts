import { describe, expect, it } from 'vitest';
import { parseRedisUrl, redactRedisUrl } from './redis-url.js';

describe('parseRedisUrl', () => {
  it.each([
    ['redis://127.0.0.1:6390', { host: '127.0.0.1', port: 6390, db: 0, tls: false, redacted: 'redis://127.0.0.1:6390' }],
    ['redis://localhost', { host: 'localhost', port: 6379, db: 0, tls: false }],
    ['rediss://:s3cret@cache.example:6380/2', { host: 'cache.example', port: 6380, db: 2, tls: true, password: 's3cret', redacted: 'rediss://:***@cache.example:6380/2' }],
    ['redis://user:p%40ss@h:1', { username: 'user', password: 'p@ss', redacted: 'redis://user:***@h:1' }],
  ])('%s', (url, expected) => {
    expect(parseRedisUrl(url)).toMatchObject(expected);
  });

  it.each([
    ['http://h:1', /redis:\/\/ or rediss:\/\//],
    ['not a url', /must be a URL/],
    ['redis://:hunter2@h:1/x', /database/],
  ])('%s → E_ARG', (url, message) => {
    let err: unknown;
    try { parseRedisUrl(url); } catch (e) { err = e; }
    expect(err).toMatchObject({ code: 'E_ARG' });
    expect(String((err as Error).message)).toMatch(message);
    expect(String((err as Error).message)).not.toContain('hunter2');
  });

  it('never prints a password, even from a URL it cannot parse', () => {
    expect(redactRedisUrl('redis://:pw@h:1')).toBe('redis://:***@h:1');
    expect(redactRedisUrl('::pw@@')).not.toContain('pw');
  });
});
