import { describe, expect, it } from 'vitest';
import { checkRequest, isLoopbackHost } from './origin-policy.js';

describe('isLoopbackHost', () => {
  it.each([
    ['127.0.0.1', true], ['127.8.9.1', true], ['localhost', true], ['::1', true], ['[::1]', true],
    ['0.0.0.0', false], ['::', false], ['192.168.1.2', false], ['example.com', false], ['127.0.0.1.nip.io', false],
  ])('%s → %s', (h, expected) => expect(isLoopbackHost(h)).toBe(expected));
});

describe('checkRequest', () => {
  const loop = { loopbackOnly: true, allowedOrigins: ['http://dash.example:9000'] };
  const open = { loopbackOnly: false, allowedOrigins: [] };
  it.each([
    [loop, '127.0.0.1:8080', undefined, true],
    [loop, '127.0.0.1:8080', 'http://127.0.0.1:8080', true],
    [loop, 'localhost:8080', 'http://localhost:8080', true],
    [loop, '127.0.0.1:8080', 'http://dash.example:9000', true],
    [loop, '127.0.0.1:8080', 'http://evil.example', false],
    [loop, '127.0.0.1:8080', 'http://127.0.0.1:9999', false],
    [loop, '127.0.0.1:8080', 'null', false],
    [loop, 'evil.example:8080', 'http://evil.example:8080', false], // DNS rebinding
    [loop, undefined, undefined, false],
    [open, '10.0.0.5:8080', 'http://10.0.0.5:8080', true],
    [open, '10.0.0.5:8080', 'http://10.0.0.6:8080', false],
  ])('%o host=%s origin=%s → %s', (policy, host, origin, ok) => {
    expect(checkRequest(policy, host, origin).ok).toBe(ok);
  });
});
