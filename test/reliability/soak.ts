/**
 * Soak: `metacam live testsrc` in a child process for N minutes (default 10) while 3 WebSocket clients connect,
 * watch a few frames and disconnect (cleanly or abruptly) in a loop, all on loopback. Every few seconds it samples
 * the child's RSS (VmRSS from /proc/PID/status) and how far the run got; at the end it stops the run with
 * SIGINT and reports the RSS slope (MiB/min, least squares, over the samples after a warm-up), a table, and
 * `test-output/soak.json`. It fails (exit 1) if the live process died, wrote an error, a client starved, the
 * run did not end cleanly, or an ffmpeg outlived it.
 *
 * Tensor count: the live process exposes no tensor count (no debug field in its frame messages), so the soak
 * does not sample it; tensor hygiene is asserted in-process by in-process-hygiene.test.ts and the explainer's
 * own leak tests.
 *
 *   npm run soak                 # 10 minutes
 *   npm run soak -- --minutes 2  # shorter
 *   npm run soak -- --minutes 3 --node-options "--max-old-space-size=96"   # is growth garbage or a leak?
 * Importable: soak-short.test.ts runs `runSoak` for about a minute.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT, startCli } from '../helpers/cli.js';
import { processesMentioning } from '../helpers/make-media.js';
import { openRecorder, type Recorder } from '../server/helpers.js';
import { rssMiB, slope } from './helpers.js';

export interface SoakOptions {
  readonly seconds: number;
  /** Seconds between samples (default 5). */
  readonly sampleSeconds?: number;
  /** Samples before this many seconds are left out of the slope (default: 20% of the run, at least 20 s). */
  readonly warmupSeconds?: number;
  readonly clients?: number;
  /** testsrc size (distinct from other tests', so the orphan check only sees ours). */
  readonly source?: string;
  readonly json?: string;
  /** Extra environment for the live process (e.g. NODE_OPTIONS to constrain the heap when diagnosing growth). */
  readonly env?: NodeJS.ProcessEnv;
  readonly log?: (line: string) => void;
}

export interface SoakSample {
  readonly t: number;
  readonly rssMiB: number;
  /** Frames the viewers were sent so far (highest `seq`). */
  readonly seq: number;
  readonly connects: number;
  readonly clientFrames: number;
}

export interface SoakReport {
  readonly seconds: number;
  readonly samples: SoakSample[];
  readonly warmupSeconds: number;
  /** MiB per minute, least squares over samples after the warm-up. */
  readonly rssSlopeMiBPerMin: number;
  /** The same over every sample (includes the model/kernel warm-up). */
  readonly rssSlopeAllMiBPerMin: number;
  readonly rssMiB: { readonly first: number; readonly afterWarmup: number; readonly last: number; readonly max: number };
  readonly connects: number;
  readonly clientFrames: number;
  readonly exitCode: number | null;
  readonly summary: Record<string, unknown> | null;
  readonly tensors: 'not sampled: the live process exposes no tensor count';
  readonly errors: string[];
}

/** stderr lines that mean something went wrong (the live command's own progress lines are `live: frame …`). */
const BAD = /\berror\b|E_[A-Z]{3,}|exception|unhandled|stalled|disconnected|reconnecting|ended|warn/i;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runSoak(o: SoakOptions): Promise<SoakReport> {
  const log = o.log ?? ((s: string) => process.stdout.write(`${s}\n`));
  const sampleMs = (o.sampleSeconds ?? 5) * 1000;
  const warmupSeconds = o.warmupSeconds ?? Math.max(20, o.seconds * 0.2);
  const source = o.source ?? 'testsrc:304x224@10';
  const errors: string[] = [];
  const samples: SoakSample[] = [];
  let connects = 0;
  let clientFrames = 0;
  let seq = 0;

  // --duration is only a safety net: the soak stops the run itself with SIGINT.
  const run = startCli(['live', source, '--port', '0', '--model', 'mobilenet-v2', '--json', '--duration', String(Math.ceil(o.seconds + 300))], { env: o.env });
  const pid = run.child.pid!;
  let stderrTail = '';
  let partialLine = '';
  run.child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    stderrTail = (stderrTail + d).slice(-8000);
    const lines = (partialLine + d).split('\n');
    partialLine = lines.pop() ?? '';
    for (const line of lines) if (BAD.test(line)) errors.push(`live stderr: ${line.trim()}`);
  });
  let exited = false;
  run.child.once('exit', () => { exited = true; });

  let stopping = false;
  const clients: Promise<void>[] = [];
  let timer: NodeJS.Timeout | undefined;
  try {
    const url = await new Promise<string>((res, rej) => {
      let out = '';
      const t = setTimeout(() => rej(new Error(`no viewer URL within 120 s; stderr:\n${stderrTail}`)), 120_000);
      run.child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /viewer at (http:\/\/\S+)/.exec(out);
        if (m) { clearTimeout(t); res(m[1]!); }
      });
      run.child.once('exit', (code) => { clearTimeout(t); rej(new Error(`live exited before listening (${code}):\n${stderrTail}`)); });
    });
    const wsUrl = url.replace(/^http/, 'ws').replace(/\/(\?|$)/, '/ws$1');
    if (!/^ws:\/\/127\.0\.0\.1:/.test(wsUrl)) throw new Error(`expected a loopback URL, got ${wsUrl}`);
    const started = Date.now();
    const deadline = started + o.seconds * 1000;

    // Each client: connect, watch 1–5 frames (bounded wait), leave cleanly or abruptly, pause, again.
    const client = async (id: number) => {
      for (let round = 0; !stopping && Date.now() < deadline; round++) {
        let rec: Recorder | undefined;
        try {
          rec = await openRecorder(wsUrl);
          connects++;
          const want = 1 + ((id + round) % 5);
          await rec.until(() => rec!.frames().filter((f) => f.jpeg).length >= want || stopping, `client ${id}: ${want} frames`, 60_000);
          const got = rec.frames().filter((f) => f.jpeg);
          clientFrames += got.length;
          for (const f of got) seq = Math.max(seq, Number(f.json.seq ?? 0));
        } catch (e) {
          if (!stopping) errors.push(`client ${id} round ${round}: ${(e as Error).message}`);
        } finally {
          if (rec) {
            if (round % 2 === 0) rec.ws.close(1000, 'bye');
            else rec.ws.terminate();
          }
        }
        await sleep(100 + ((id * 97 + round * 31) % 400));
      }
    };
    for (let id = 0; id < (o.clients ?? 3); id++) clients.push(client(id));

    const sample = () => {
      const rss = rssMiB(pid);
      if (rss === undefined) return;
      const s: SoakSample = { t: Math.round((Date.now() - started) / 100) / 10, rssMiB: Math.round(rss * 10) / 10, seq, connects, clientFrames };
      samples.push(s);
      log(`${String(s.t).padStart(7)} s  ${s.rssMiB.toFixed(1).padStart(8)} MiB  seq ${String(s.seq).padStart(6)}  connects ${String(s.connects).padStart(5)}  client frames ${String(s.clientFrames).padStart(6)}`);
    };
    log(`soak: ${source} for ${o.seconds} s, ${o.clients ?? 3} clients, pid ${pid}, viewer ${url}`);
    log('      t         RSS');
    sample();
    timer = setInterval(sample, sampleMs);
    while (Date.now() < deadline && !exited) await sleep(250);
    if (exited) errors.push(`the live process died after ${((Date.now() - started) / 1000).toFixed(1)} s:\n${stderrTail}`);
    clearInterval(timer);
    sample();
  } catch (e) {
    errors.push((e as Error).message);
  } finally {
    clearInterval(timer);
    stopping = true;
    await Promise.all(clients);
  }

  // Stop like a user: Ctrl-C, bounded.
  if (!exited) run.child.kill('SIGINT');
  const killer = setTimeout(() => { errors.push('the live process did not stop within 60 s of SIGINT'); run.child.kill('SIGKILL'); }, 60_000);
  const result = await run.done;
  clearTimeout(killer);
  if (result.code !== 130) errors.push(`live exited with ${result.code ?? result.signal} after SIGINT, expected 130`);
  let summary: Record<string, unknown> | null = null;
  try {
    summary = JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '') as Record<string, unknown>;
  } catch {
    errors.push(`no JSON summary on stdout: ${result.stdout.slice(-500)}`);
  }
  const pattern = /testsrc:(\d+)x(\d+)/.exec(source);
  await sleep(200);
  const orphans = pattern ? processesMentioning(`size=${pattern[1]}x${pattern[2]}`) : [];
  if (orphans.length) errors.push(`ffmpeg outlived the live process: ${orphans.join(', ')}`);
  if (connects < (o.clients ?? 3)) errors.push(`only ${connects} client connections`);

  const after = samples.filter((s) => s.t >= warmupSeconds);
  const perMin = (ss: SoakSample[]) => slope(ss.map((s) => s.t / 60), ss.map((s) => s.rssMiB));
  const report: SoakReport = {
    seconds: o.seconds,
    samples,
    warmupSeconds,
    rssSlopeMiBPerMin: Math.round(perMin(after) * 100) / 100,
    rssSlopeAllMiBPerMin: Math.round(perMin(samples) * 100) / 100,
    rssMiB: {
      first: samples[0]?.rssMiB ?? 0,
      afterWarmup: after[0]?.rssMiB ?? 0,
      last: samples.at(-1)?.rssMiB ?? 0,
      max: Math.max(0, ...samples.map((s) => s.rssMiB)),
    },
    connects,
    clientFrames,
    exitCode: result.code,
    summary,
    tensors: 'not sampled: the live process exposes no tensor count',
    errors,
  };
  log(`RSS ${report.rssMiB.first} → ${report.rssMiB.last} MiB (max ${report.rssMiB.max}); slope after ${warmupSeconds} s warm-up: ${report.rssSlopeMiBPerMin} MiB/min (all samples: ${report.rssSlopeAllMiBPerMin} MiB/min)`);
  log(`${connects} client connections, ${clientFrames} frames received by clients; live summary: ${JSON.stringify(summary)}`);
  log(`tensors: ${report.tensors}`);
  log(errors.length ? `ERRORS (${errors.length}):\n  ${errors.slice(0, 20).join('\n  ')}` : 'no errors');
  if (o.json) {
    mkdirSync(dirname(o.json), { recursive: true });
    writeFileSync(o.json, `${JSON.stringify(report, null, 2)}\n`);
    log(`wrote ${o.json}`);
  }
  return report;
}

function minutesArg(argv: readonly string[]): number {
  const i = argv.indexOf('--minutes');
  const v = i >= 0 ? Number(argv[i + 1]) : 10;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--minutes must be a positive number, got ${argv[i + 1]}`);
  return v;
}

/** `--node-options "…"`: NODE_OPTIONS for the live process only (e.g. "--max-old-space-size=96"). */
function nodeOptionsArg(argv: readonly string[]): NodeJS.ProcessEnv | undefined {
  const i = argv.indexOf('--node-options');
  return i >= 0 ? { NODE_OPTIONS: argv[i + 1] ?? '' } : undefined;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const minutes = minutesArg(process.argv.slice(2));
  const argv = process.argv.slice(2);
  const env = nodeOptionsArg(argv);
  const report = await runSoak({
    seconds: minutes * 60, warmupSeconds: Math.min(60, minutes * 12), env,
    json: join(ROOT, 'test-output', env ? 'soak-diagnostic.json' : 'soak.json'),
  });
  process.exitCode = report.errors.length ? 1 : 0;
}
