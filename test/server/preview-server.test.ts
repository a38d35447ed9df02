/**
 * The preview server on real sockets: a real publisher (ffmpeg-encoded synthetic frames + synthetic
 * explanations), real `ws` clients, real HTTP, loopback and port 0 only.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import WebSocket from 'ws';
import { resolveFfmpeg } from '../../src/ingest/ffmpeg-path.js';
import { createJpegEncoder, startPreviewServer, type ControlMessage, type JpegEncoder, type PreviewServer } from '../../src/server/index.js';
import { LABELS, explanationFor, movingFrame, noiseFrame, openRecorder, rawGet, refusedUpgrade, waitUntil, type Recorder } from './helpers.js';

let encoder: JpegEncoder;
let smallJpegs: Buffer[];
beforeAll(async () => {
  encoder = createJpegEncoder();
  smallJpegs = await Promise.all(Array.from({ length: 8 }, (_, i) => encoder.encode(movingFrame(160, 120, i))));
});
afterAll(async () => {
  await encoder.close();
});

const servers: PreviewServer[] = [];
const clients: WebSocket[] = [];
async function server(options: Parameters<typeof startPreviewServer>[0] = {}): Promise<PreviewServer> {
  const s = await startPreviewServer({ labels: LABELS, methods: ['gradcam', 'gradcam++', 'layercam'], ...options });
  servers.push(s);
  return s;
}
async function client(url: string, options: Parameters<typeof openRecorder>[1] = {}): Promise<Recorder> {
  const r = await openRecorder(url, options);
  clients.push(r.ws);
  return r;
}
afterEach(async () => {
  for (const c of clients.splice(0)) c.terminate();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const wsUrl = (s: PreviewServer, query = '') => `ws://127.0.0.1:${s.port}/ws${query}`;
const isJpeg = (b: Buffer) => b[0] === 0xff && b[1] === 0xd8 && b[b.length - 2] === 0xff && b[b.length - 1] === 0xd9;

async function probeSize(jpeg: Buffer): Promise<{ width: number; height: number }> {
  const { ffprobePath } = await resolveFfmpeg();
  const run = promisify(execFile)(ffprobePath, ['-v', 'error', '-show_entries', 'stream=width,height', '-of', 'json', '-i', '-']);
  run.child.stdin!.end(jpeg);
  const s = JSON.parse((await run).stdout).streams[0];
  return { width: s.width, height: s.height };
}

function publishFrames(s: PreviewServer, from: number, n: number): void {
  for (let i = from; i < from + n; i++) {
    s.publish({ jpeg: smallJpegs[i % smallJpegs.length]!, explanation: explanationFor(i), stats: { fps: 12.5, latencyMs: 80, dropped: 0, capturedAt: Date.now() } });
  }
}

describe('frames reach clients', () => {
  it('a fast client receives N JPEGs and N explanation messages, paired and in order', async () => {
    const s = await server();
    const c = await client(wsUrl(s));
    expect(s.clientCount()).toBe(1);
    const N = 40;
    publishFrames(s, 0, N);
    await c.until(() => c.binaries.length === N, `${N} binary messages`);
    const frames = c.frames();
    expect(frames).toHaveLength(N);
    frames.forEach(({ json, jpeg }, i) => {
      expect(json).toMatchObject({ type: 'frame', seq: i + 1, stats: { fps: 12.5, latencyMs: 80, dropped: 0 } });
      const e = json.explanation as ReturnType<typeof explanationFor>;
      expect(e.index).toBe(i);
      expect(e.target.label).toBe(LABELS[i % LABELS.length]);
      expect(Object.keys(e.members)).toEqual(['gradcam', 'gradcam++', 'layercam']);
      expect(e.consensus.bbox).toEqual({ x0: 0.2, y0: 0.2, x1: 0.5, y1: 0.6 });
      expect(jpeg && isJpeg(jpeg)).toBe(true);
      expect(jpeg!.length).toBe(json.jpegBytes);
      expect(jpeg!.equals(smallJpegs[i % smallJpegs.length]!)).toBe(true);
    });
    expect(await probeSize(frames[7]!.jpeg!)).toEqual({ width: 160, height: 120 });
    expect(s.clients()[0]).toMatchObject({ sent: N, skipped: 0 });
  });

  it('serves the viewer, its assets and /info; hello carries labels, presets and state', async () => {
    const s = await server({ presets: ['realtime', 'full'] });
    expect(s.url).toBe(`http://127.0.0.1:${s.port}/`); // default bind: loopback, no token
    const page = await rawGet(s.port, '/');
    expect(page.status).toBe(200);
    expect(page.body).toMatch(/<canvas id="video"/);
    expect(page.headers['content-security-policy']).toMatch(/default-src 'self'/);
    for (const [path, type] of [['/viewer.js', 'text/javascript'], ['/viewer.css', 'text/css']]) {
      const r = await rawGet(s.port, path!);
      expect(r.status).toBe(200);
      expect(String(r.headers['content-type'])).toContain(type);
    }
    const info = JSON.parse((await rawGet(s.port, '/info')).body);
    expect(info).toMatchObject({ labels: LABELS, presets: ['realtime', 'full'], methods: ['gradcam', 'gradcam++', 'layercam'] });
    const c = await client(wsUrl(s));
    expect(c.texts[0]).toMatchObject({ type: 'hello', labels: LABELS, state: { class: 'auto', view: 'metacam', alpha: 0.5, colormap: 'jet', preset: 'realtime' } });
  });

  it('valid control messages come out on `controls`, and every viewer gets the new state', async () => {
    const s = await server();
    const got: ControlMessage[] = [];
    const sub = s.controls.subscribe((m) => got.push(m));
    const a = await client(wsUrl(s));
    const b = await client(wsUrl(s));
    const msgs = [
      { type: 'setView', view: 'grid' }, { type: 'setClass', class: 3 }, { type: 'setClass', class: 'auto' },
      { type: 'setAlpha', alpha: 0.25 }, { type: 'setColormap', colormap: 'turbo' }, { type: 'setPreset', preset: 'full' },
    ];
    for (const m of msgs) a.ws.send(JSON.stringify(m));
    await waitUntil(() => got.length === msgs.length, 'six controls');
    expect(got).toEqual(msgs);
    await b.until(() => b.texts.filter((t) => (t as { type: string }).type === 'state').length === msgs.length, 'state broadcasts');
    expect(s.state()).toEqual({ view: 'grid', class: 'auto', alpha: 0.25, colormap: 'turbo', preset: 'full' });
    sub.unsubscribe();
  });
});

describe('backpressure', () => {
  it('a client that stops reading skips frames; a fast client still gets every frame and publish never waits', async () => {
    const bigJpegs = await Promise.all([0, 1, 2].map((k) => encoder.encode(noiseFrame(640, 480, k + 1))));
    const s = await server({ maxClientBufferBytes: 256 * 1024 });
    const fast = await client(wsUrl(s));
    const slow = await client(wsUrl(s));
    (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const N = 120;
    for (let i = 0; i < N; i++) {
      // Paced by the fast client (it must read in this same process), not by the slow one.
      const ret = s.publish({ jpeg: bigJpegs[i % 3]!, explanation: explanationFor(i) });
      expect(ret).toBeUndefined();
      await fast.until(() => fast.binaries.length === i + 1, `fast client frame ${i + 1}`);
    }
    const [fastInfo, slowInfo] = s.clients();
    expect(fastInfo).toMatchObject({ sent: N, skipped: 0 });
    expect(slowInfo!.skipped).toBeGreaterThan(0);
    expect(slowInfo!.sent + slowInfo!.skipped).toBe(N);
    console.log(`[backpressure] ${N} frames of ~${Math.round(bigJpegs[0]!.length / 1024)} KiB: slow client sent ${slowInfo!.sent}, skipped ${slowInfo!.skipped}`);

    // Once it reads again, the slow client gets exactly the frames that were sent to it, each still paired.
    (slow.ws as unknown as { _socket: { resume(): void } })._socket.resume();
    await slow.until(() => slow.binaries.length === slowInfo!.sent, 'slow client catch-up');
    for (const { json, jpeg } of slow.frames()) expect(jpeg!.length).toBe(json.jpegBytes);
    // Skips are reported to that client so its viewer can show them.
    s.publish({ jpeg: bigJpegs[0]!, explanation: explanationFor(N) });
    await slow.until(() => slow.texts.some((t) => (t as { type: string }).type === 'client'), 'skip report');
  });

  it('a raw TCP client that never reads does not stall anyone, and is dropped when it misses pings', async () => {
    const s = await server({ maxClientBufferBytes: 64 * 1024, heartbeatMs: 100 });
    const fast = await client(wsUrl(s));
    const raw = connect(s.port, '127.0.0.1');
    raw.on('error', () => {});
    raw.write(`GET /ws HTTP/1.1\r\nHost: 127.0.0.1:${s.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n');
    raw.pause();
    await waitUntil(() => s.clientCount() === 2, 'raw client accepted');
    publishFrames(s, 0, 30);
    await fast.until(() => fast.binaries.length === 30, '30 frames at the fast client');
    await waitUntil(() => s.clientCount() === 1, 'the silent client dropped by the heartbeat');
    raw.destroy();
  });
});

describe('access control', () => {
  const TOKEN = 'tok-3f9a2c71e5';
  it('with a token: the page, /info and the upgrade need it (query or subprotocol)', async () => {
    const s = await server({ token: TOKEN });
    expect(s.url).toBe(`http://127.0.0.1:${s.port}/?token=${TOKEN}`);
    expect((await rawGet(s.port, '/')).status).toBe(401);
    expect((await rawGet(s.port, '/?token=wrong-token')).status).toBe(401);
    expect((await rawGet(s.port, `/?token=${TOKEN}x`)).status).toBe(401);
    expect((await rawGet(s.port, '/info')).status).toBe(401);
    expect((await rawGet(s.port, `/?token=${TOKEN}`)).status).toBe(200);
    expect((await rawGet(s.port, '/info', { Authorization: `Bearer ${TOKEN}` })).status).toBe(200);

    expect((await refusedUpgrade(wsUrl(s))).status).toBe(401);
    expect((await refusedUpgrade(wsUrl(s, '?token=nope-nope'))).status).toBe(401);
    expect((await refusedUpgrade(wsUrl(s), { protocols: ['metacam', 'metacam-token.nope-nope'] })).status).toBe(401);
    const byQuery = await client(wsUrl(s, `?token=${TOKEN}`));
    const byProtocol = await client(wsUrl(s), { protocols: ['metacam', `metacam-token.${TOKEN}`] });
    expect(byProtocol.ws.protocol).toBe('metacam');
    publishFrames(s, 0, 3);
    await byQuery.until(() => byQuery.binaries.length === 3, 'frames (query token)');
    await byProtocol.until(() => byProtocol.binaries.length === 3, 'frames (subprotocol token)');
  });

  it.each([
    [{ host: '0.0.0.0' }, /set --token/],
    [{ host: '192.168.1.10' }, /set --token/],
    [{ token: 'short' }, /at least 8/],
    [{ port: 70000 }, /port/],
    [{ allowedOrigins: ['not a url'] }, /allowed origin/],
  ])('refuses options %o with E_ARG', async (opts, why) => {
    await expect(startPreviewServer(opts)).rejects.toMatchObject({ code: 'E_ARG', message: expect.stringMatching(why) });
  });

  it('a busy port is a typed error', async () => {
    const s = await server();
    await expect(startPreviewServer({ port: s.port })).rejects.toMatchObject({ code: 'E_ARG', message: expect.stringMatching(/in use/) });
  });

  it('refuses foreign Origins and non-loopback Host headers; allows listed origins', async () => {
    const s = await server({ allowedOrigins: ['http://dashboard.example:9000'] });
    expect((await refusedUpgrade(wsUrl(s), { origin: 'http://evil.example' })).status).toBe(403);
    expect((await refusedUpgrade(wsUrl(s), { origin: `http://127.0.0.1:${s.port + 1}` })).status).toBe(403);
    expect((await refusedUpgrade(wsUrl(s), { headers: { Host: `evil.example:${s.port}` }, origin: `http://evil.example:${s.port}` })).status).toBe(403);
    expect((await rawGet(s.port, '/', { Host: `rebind.example:${s.port}` })).status).toBe(403);
    await client(wsUrl(s), { origin: `http://127.0.0.1:${s.port}` });
    await client(wsUrl(s), { origin: 'http://dashboard.example:9000' });
    expect(s.clientCount()).toBe(2);
  });

  it('only /ws upgrades', async () => {
    const s = await server();
    expect((await refusedUpgrade(`ws://127.0.0.1:${s.port}/other`)).status).toBe(404);
  });
});

describe('hostile clients', () => {
  type Send = (ws: WebSocket) => void;
  const cases: [string, Send, number, RegExp][] = [
    ['invalid JSON', (ws) => ws.send('{"type":"setView",'), 1008, /not valid JSON/],
    ['unknown type', (ws) => ws.send('{"type":"rm -rf"}'), 1008, /unknown message type/],
    ['alpha out of range', (ws) => ws.send('{"type":"setAlpha","alpha":2}'), 1008, /alpha/],
    ['class out of range', (ws) => ws.send('{"type":"setClass","class":5}'), 1008, /class/],
    ['extra field', (ws) => ws.send('{"type":"setView","view":"raw","__proto__":{"x":1}}'), 1008, /unexpected field/],
    ['message over maxPayload', (ws) => ws.send(JSON.stringify({ type: 'setView', view: 'x'.repeat(10_000) })), 1009, /too big/],
    ['binary junk', (ws) => ws.send(Buffer.from([0, 1, 2, 255, 254]), { binary: true }), 1003, /binary/],
    ['invalid UTF-8 text', (ws) => ws.send(Buffer.from([0x7b, 0xff, 0xfe, 0xc3, 0x28, 0x7d]), { binary: false }), 1007, /UTF-8/],
    ['a flood of valid messages', (ws) => { for (let i = 0; i < 100; i++) ws.send('{"type":"setAlpha","alpha":0.5}'); }, 1008, /too many/],
  ];

  it.each(cases)('%s → closed with %i and a reason; others keep receiving', async (_name, send, code, reason) => {
    const s = await server();
    const victim = await client(wsUrl(s));
    const bystander = await client(wsUrl(s));
    send(victim.ws);
    const closed = await victim.closed;
    expect(closed.code).toBe(code);
    expect(closed.reason).toMatch(reason);
    publishFrames(s, 0, 2);
    await bystander.until(() => bystander.binaries.length === 2, 'bystander frames');
    expect(s.clientCount()).toBe(1);
  });

  it('a message above the hard cap is cut off while arriving (1009), and raw garbage frames end only that client', async () => {
    const s = await server();
    const big = await client(wsUrl(s));
    const junk = await client(wsUrl(s));
    const bystander = await client(wsUrl(s));
    big.ws.send('x'.repeat(200_000));
    expect((await big.closed).code).toBe(1009);
    // Not a valid WebSocket frame (unmasked, reserved bits set): ws closes with 1002.
    (junk.ws as unknown as { _socket: { write(b: Buffer): void } })._socket.write(Buffer.from([0xf7, 0x05, 1, 2, 3, 4, 5, 0xff, 0xff]));
    await junk.closed;
    publishFrames(s, 0, 2);
    await bystander.until(() => bystander.binaries.length === 2, 'bystander frames');
    await waitUntil(() => s.clientCount() === 1, 'only the bystander left');
  });

  it('fuzz: 150 random messages; each is either a valid control or closes its client; the server keeps serving', async () => {
    const s = await server();
    const bystander = await client(wsUrl(s));
    let seed = 12345;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pick = <T,>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
    const values = [null, true, 0, -1, 1.5, 1e308, 'auto', 'raw', 'grid', 'turbo', 'full', '', '\u0000', [], {}, 3, 0.5];
    const types = ['setClass', 'setPreset', 'setView', 'setAlpha', 'setColormap', 'constructor', 'hasOwnProperty', '', 7];
    const keys = ['class', 'preset', 'view', 'alpha', 'colormap', 'type', '__proto__', 'x'];
    const controls: ControlMessage[] = [];
    const sub = s.controls.subscribe((m) => controls.push(m));
    let closedCount = 0;
    let survivors = 0;
    for (let k = 0; k < 150; k++) {
      const c = await client(wsUrl(s));
      const kind = rnd();
      if (kind < 0.25) {
        const valid = [
          { type: 'setView', view: pick(['metacam', 'raw', 'grid']) }, { type: 'setAlpha', alpha: rnd() },
          { type: 'setClass', class: rnd() < 0.5 ? 'auto' : Math.floor(rnd() * LABELS.length) },
          { type: 'setColormap', colormap: pick(['jet', 'turbo', 'inferno']) }, { type: 'setPreset', preset: pick(['realtime', 'full']) },
        ];
        c.ws.send(JSON.stringify(pick(valid)));
      } else if (kind < 0.7) {
        const o: Record<string, unknown> = { type: pick(types) };
        if (rnd() < 0.9) o[pick(keys)] = pick(values);
        c.ws.send(JSON.stringify(o));
      } else if (kind < 0.85) {
        c.ws.send(Buffer.from(Array.from({ length: 1 + Math.floor(rnd() * 64) }, () => Math.floor(rnd() * 256))), { binary: rnd() < 0.5 });
      } else {
        c.ws.send(Array.from({ length: Math.floor(rnd() * 50) }, () => String.fromCharCode(32 + Math.floor(rnd() * 95))).join(''));
      }
      // Follow with a probe the server must answer (a valid control → state broadcast) unless it closed us.
      c.ws.send('{"type":"setView","view":"raw"}');
      const before = c.texts.length;
      await c.until(() => c.ws.readyState === WebSocket.CLOSED || c.texts.length > before, 'verdict');
      if (c.ws.readyState === WebSocket.CLOSED) {
        closedCount++;
        const { code, reason } = await c.closed;
        expect([1003, 1007, 1008, 1009]).toContain(code);
        expect(reason.length).toBeGreaterThan(0);
      } else {
        survivors++;
      }
      c.ws.terminate();
    }
    sub.unsubscribe();
    console.log(`[fuzz] 150 messages: ${closedCount} clients closed, ${controls.length} controls accepted`);
    expect(closedCount).toBeGreaterThan(50);
    expect(survivors).toBeGreaterThan(20);
    // A surviving client's message and probe were both accepted; a closed client's probe never acts.
    expect(controls.length).toBe(2 * survivors);
    publishFrames(s, 0, 1);
    await bystander.until(() => bystander.binaries.length === 1, 'bystander frame after fuzz');
  });
});

describe('static route', () => {
  it.each([
    '/../package.json', '/../../package.json', '/..%2f..%2fpackage.json', '/%2e%2e/%2e%2e/package.json',
    '/%2e%2e%2f%2e%2e%2fpackage.json', '/%2E%2E/preview-server.ts', '/public/../preview-server.ts', '/..\\..\\package.json',
    '/%5c..%5cpackage.json', '//etc/passwd', '/%2fetc%2fpasswd', '/etc/passwd', '/./viewer.js/../../preview-server.ts',
    '/viewer.js%00.html', '/.git/config', '/%c0%ae%c0%ae/package.json', '/preview-server.ts', '/package.json',
  ])('refuses %s without revealing files', async (path) => {
    const s = await server();
    const r = await rawGet(s.port, path);
    expect([400, 403, 404]).toContain(r.status);
    expect(r.body).not.toMatch(/metacam-video"|root:|import |\[core\]/);
  });

  it('answers other methods with 405', async () => {
    const s = await server();
    const r = await new Promise<number>((resolve, reject) => {
      const sock = connect(s.port, '127.0.0.1', () => sock.write(`POST / HTTP/1.1\r\nHost: 127.0.0.1:${s.port}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`));
      let data = '';
      sock.on('data', (d) => { data += d.toString(); });
      sock.on('end', () => resolve(Number(/HTTP\/1.1 (\d+)/.exec(data)?.[1])));
      sock.on('error', reject);
    });
    expect(r).toBe(405);
  });
});

describe('close()', () => {
  it('ends every client, frees the port, completes controls, and is idempotent', async () => {
    const s = await startPreviewServer();
    const a = await client(wsUrl(s));
    let completed = false;
    s.controls.subscribe({ complete: () => { completed = true; } });
    await Promise.all([s.close(), s.close()]);
    await s.close();
    await a.closed;
    expect(completed).toBe(true);
    expect(s.clientCount()).toBe(0);
    s.publish({ jpeg: smallJpegs[0]!, explanation: explanationFor(0) }); // a no-op, not a throw
    await expect(rawGet(s.port, '/')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
