/** `metacam doctor`: which ffmpeg and which TensorFlow.js backend a run would use, and the models found. */
import { resolveFfmpeg } from '../../ingest/ffmpeg-path.js';
import { selectBackend, type BackendChoice } from '../../explain/backend/backend.js';
import { listBundledModels } from '../../explain/model/model-registry.js';
import { toolVersion } from '../../core/version.js';
import type { Io } from '../main.js';

export async function doctorCommand(argv: string[], io: Io): Promise<number> {
  const i = argv.indexOf('--backend');
  const choice = (i >= 0 ? argv[i + 1] : 'auto') as BackendChoice;
  const [ffmpeg, backend] = await Promise.all([resolveFfmpeg(), selectBackend(choice)]);
  const models = listBundledModels();
  const report = {
    tool: { name: 'metacam-video', version: toolVersion() },
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    ffmpeg,
    backend,
    models,
  };
  if (argv.includes('--json')) {
    io.stdout.write(`${JSON.stringify(report)}\n`);
    return 0;
  }
  const lines = [
    `metacam-video ${report.tool.version} on Node ${report.node} (${report.platform})`,
    `ffmpeg:   ${ffmpeg.ffmpegPath}  [${ffmpeg.source}]`,
    `          ${ffmpeg.version}`,
    `ffprobe:  ${ffmpeg.ffprobePath}`,
    `backend:  ${backend.name}  [${backend.package} ${backend.version}${backend.threads !== undefined ? `, ${backend.threads} thread(s)` : ''}]`,
    ...backend.skipped.map((s) => `          skipped ${s.package}: ${s.reason}`),
    'models:',
    ...models.map((m) => `  ${m.name}: ${m.available ? 'available' : `unavailable (${m.reason})`}  [${m.source}]`),
  ];
  io.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
