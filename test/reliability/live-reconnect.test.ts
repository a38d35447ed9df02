/**
 * A network camera that drops out and comes back: a loopback HTTP server (written here) streams live MPEG-TS
 * from its own ffmpeg (`-re` testsrc2); `metacam live http://127.0.0.1:PORT/cam.ts` explains it and a real ws
 * client watches. Mid-stream the server cuts every connection and answers 503 for a few seconds, then serves
 * again. The live run must keep going — the same ws client receives frames again after the reconnect — and
 * say on stderr that the source disconnected and is reconnecting. Ctrl-C then ends it cleanly.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCli } from '../helpers/cli.js';
import { processesMentioning } from '../helpers/make-media.js';
import { openRecorder, type Recorder } from '../server/helpers.js';
import { resolveFfmpeg } from '../../src/ingest/ffmpeg-path.js';
import { until } from './helpers.js';

const PATTERN = 'testsrc2=size=160x120:rate=10';
let up = true;
let requests = 0;
let refused = 0;
const streams = new Set<{ res: ServerResponse; ff: ChildProcess }>();
const sockets = new Set<Socket>();
let ffmpegPath = '';

const server = createServer((req, res) => {
  requests++;
  if (!up || req.url !== '/cam.ts') {
    refused++;
    res.writeHead(up ? 404 : 503, { connection: 'close' }).end();
    return;
  }
  const ff = spawn(ffmpegPath, ['-hide_banner', '-nostdin', '-loglevel', 'error', '-re', '-f', 'lavfi', '-i', PATTERN,
    '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-g', '10', '-pix_fmt', 'yuv420p', '-f', 'mpegts', 'pipe:1'],
  { stdio: ['ignore', 'pipe', 'ignore'] });
  const entry = { res, ff };
  streams.add(entry);
  res.writeHead(200, { 'content-type': 'video/mp2t' });
  ff.stdout!.pipe(res);
  const end = () => { streams.delete(entry); ff.kill('SIGKILL'); };
  res.on('close', end);
  ff.on('exit', () => res.destroy());
});
server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });

/** The camera drops out: every open connection is cut mid-stream, new ones get 503 until `restore()`. */
function drop(): void {
  up = false;
  for (const { res, ff } of streams) { ff.kill('SIGKILL'); res.destroy(); }
  for (const s of sockets) s.destroy();
}

let run: ReturnType<typeof startCli> | undefined;
let url = '';
let viewer: Recorder | undefined;
let port = 0;
let stderrText = '';
const stderr = (): string => stderrText;

beforeAll(async () => {
  ({ ffmpegPath } = await resolveFfmpeg());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
  run = startCli(['live', `http://127.0.0.1:${port}/cam.ts`, '--port', '0', '--model', 'mobilenet-v2', '--duration', '240', '--json']);
  run.child.stderr!.on('data', (d: Buffer) => { stderrText += d.toString(); });
  url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no viewer URL within 90 s; stderr:\n${stderr()}`)), 90_000);
    run!.child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /viewer at (http:\/\/\S+)/.exec(out);
      if (m) { clearTimeout(timer); resolve(m[1]!); }
    });
    run!.child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`live exited early (${code}):\n${stderr()}`)); });
  });
  viewer = await openRecorder(url.replace(/^http/, 'ws').replace(/\/(\?|$)/, '/ws$1'));
}, 150_000);

afterAll(async () => {
  viewer?.ws.terminate();
  if (run && run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGKILL');
  for (const { ff, res } of streams) { ff.kill('SIGKILL'); res.destroy(); }
  for (const s of sockets) s.destroy();
  await new Promise((r) => server.close(r));
});


const frameCount = () => viewer!.frames().filter((f) => f.jpeg).length;
const lastIndex = () => (viewer!.frames().at(-1)?.json.explanation as { index: number } | undefined)?.index ?? -1;

describe('metacam live on an HTTP stream that disconnects and comes back', () => {
  it('keeps serving frames to the same viewer after the source reconnects, and reports the outage on stderr', async () => {
    await viewer!.until(() => frameCount() >= 3, '3 frames before the outage', 90_000);
    const requestsBefore = requests;
    drop();
    await until(() => /"type":"disconnected"/.test(stderr()), 'the disconnect on stderr', 30_000);
    await until(() => /"type":"reconnecting"/.test(stderr()) && refused >= 1, 'a refused reconnect attempt', 30_000);
    const framesDuringOutage = frameCount();
    const indexBefore = lastIndex();
    up = true;
    await viewer!.until(() => frameCount() >= framesDuringOutage + 3, '3 frames after the source came back', 90_000);
    expect(requests).toBeGreaterThan(requestsBefore + 1); // at least one refused and one served reconnect
    expect(lastIndex()).toBeGreaterThan(indexBefore); // frame numbers keep counting across the reconnect
    expect(viewer!.ws.readyState).toBe(viewer!.ws.OPEN);
    expect(stderr()).toMatch(/live: \{"type":"disconnected","source":"http:\/\/127\.0\.0\.1:\d+\/cam\.ts","reason":"[^"]+"\}/);
    expect(stderr()).not.toMatch(/error E_/);
  }, 240_000);

  it('Ctrl-C then ends the run with exit 130 and no orphan ffmpeg', async () => {
    run!.child.kill('SIGINT');
    const r = await run!.done;
    expect(r.code, r.stderr).toBe(130);
    const summary = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { frames: number };
    expect(summary.frames).toBeGreaterThanOrEqual(6);
    expect(processesMentioning(`127.0.0.1:${port}/cam.ts`)).toEqual([]);
  }, 120_000);
});
