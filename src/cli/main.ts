/**
 * `metacam` entry point: dispatches a subcommand, turns errors into a clear message and an exit code
 * (0 ok, 2 bad arguments or input, 1 internal failure), and shows a stack trace only with --verbose.
 * Commands load lazily so `metacam doctor` or `--help` does not pay for TensorFlow.js.
 */
import { isMetacamError } from '../errors.js';

export interface Io {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

type Command = (argv: string[], io: Io) => Promise<number>;

const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  demo: { summary: 'explain the bundled sample clip with the bundled model → out/demo.mp4', load: async () => (await import('./commands/demo.js')).demoCommand },
  explain: { summary: 'explain a video file → an annotated MP4 (audio kept)', load: async () => (await import('./commands/explain.js')).explainCommand },
  image: { summary: 'explain a still image → an annotated PNG, and optionally the raw maps as JSON', load: async () => (await import('./commands/image.js')).imageCommand },
  live: { summary: 'explain a camera / stream / testsrc live and serve it to browsers over WebSockets', load: async () => (await import('./commands/live.js')).liveCommand },
  evaluate: { summary: 'score every method and MetaCAM against ground-truth boxes (pointing game, energy, IoU, ROAD, CRE)', load: async () => (await import('./commands/evaluate.js')).evaluateCommand },
  calibrate: { summary: 'fit MetaCAM on a calibration clip: score every subset of method groups → a profile for --profile', load: async () => (await import('./commands/calibrate.js')).calibrateCommand },
  worker: { summary: 'take segment jobs of `explain --queue` from Redis (BullMQ) and explain them', load: async () => (await import('./commands/worker.js')).workerCommand },
  queue: { summary: 'queue clean --redis URL: remove finished `explain --queue` runs from Redis', load: async () => (await import('./commands/queue.js')).queueCommand },
  audit: { summary: 'verify or summarise an audit log (audit verify <file>, audit summary <file>)', load: async () => (await import('./commands/audit.js')).auditCommand },
  models: { summary: 'list the bundled models; models inspect <model>: its layers, inputs and outputs', load: async () => (await import('./commands/models.js')).modelsCommand },
  methods: { summary: 'list the CAM methods, their groups and cost per frame', load: async () => (await import('./commands/methods.js')).methodsCommand },
  doctor: { summary: 'show which ffmpeg and TensorFlow.js backend will be used, and the models found', load: async () => (await import('./commands/doctor.js')).doctorCommand },
};

export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  return [
    'metacam — where in this frame did the network look? MetaCAM explanations for every video frame.',
    '',
    'Usage: metacam <command> [options]   (metacam <command> --help for its options)',
    '',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '',
    'Exit codes: 0 ok, 2 bad arguments or input, 1 internal failure, 130 interrupted.',
  ].join('\n');
}

export async function main(argv: string[], io: Io = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(`${usage()}\n`);
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-v') {
    const { toolVersion } = await import('../core/version.js');
    io.stdout.write(`${toolVersion()}\n`);
    return 0;
  }
  const entry = COMMANDS[name];
  if (!entry) {
    io.stderr.write(`metacam: unknown command '${name}'.\n\n${usage()}\n`);
    return 2;
  }
  const verbose = rest.includes('--verbose');
  try {
    const command = await entry.load();
    return await command(rest, io);
  } catch (e) {
    if (isMetacamError(e)) {
      io.stderr.write(`metacam ${name}: error ${e.code}: ${e.message}\n`);
      if (verbose && e.stack) io.stderr.write(`${e.stack}\n`);
      else if (e.exitCode === 1) io.stderr.write('(run again with --verbose for the stack trace)\n');
      return e.exitCode;
    }
    const err = e as Error;
    io.stderr.write(`metacam ${name}: internal error: ${err?.message ?? String(e)}\n`);
    io.stderr.write(verbose && err?.stack ? `${err.stack}\n` : '(run again with --verbose for the stack trace; please report it)\n');
    return 1;
  }
}
