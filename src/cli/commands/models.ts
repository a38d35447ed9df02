import { selectBackend, type BackendChoice } from '../../explain/backend/backend.js';
import { formatInspection, inspectModel } from '../../explain/model/inspect-model.js';
import { listBundledModels, openModel } from '../../explain/model/model-registry.js';
import { MetacamError } from '../../errors.js';
import type { Io } from '../main.js';

/**
 * `metacam models`: the bundled models (format, input size, labels), whether each can be loaded here, and from
 * where. `metacam models inspect <model>`: any model's inputs, outputs, candidate layers and default layer.
 */
export async function modelsCommand(argv: string[], io: Io): Promise<number> {
  if (argv[0] === 'inspect') return inspectCommand(argv.slice(1), io);
  const models = listBundledModels();
  if (argv.includes('--json')) {
    io.stdout.write(`${JSON.stringify(models)}\n`);
    return 0;
  }
  const w = Math.max(...models.map((m) => m.name.length));
  for (const m of models) {
    const facts = [m.format, m.inputSize && `${m.inputSize.width}×${m.inputSize.height}`, m.labels && `labels: ${m.labels.join(', ')}`].filter(Boolean).join(' · ');
    io.stdout.write(`${m.name.padEnd(w)}  ${m.available ? 'available  ' : 'unavailable'}  ${m.description}  [${m.source}]${facts ? `\n${' '.repeat(w + 2)}${facts}` : ''}${m.reason ? `\n${' '.repeat(w + 2)}${m.reason}` : ''}\n`);
  }
  io.stdout.write(`\nOr pass your own model: --model path/to/model.json (tfjs LayersModel or graph model) or --model path/to/model.onnx\n`);
  io.stdout.write(`metacam models inspect <model> lists a model's layers (what --layer accepts).\n`);
  return 0;
}

async function inspectCommand(argv: string[], io: Io): Promise<number> {
  const json = argv.includes('--json');
  const backendAt = argv.indexOf('--backend');
  const backend = (backendAt >= 0 ? argv[backendAt + 1] : 'auto') as BackendChoice;
  const skip = backendAt >= 0 ? new Set([backendAt, backendAt + 1]) : new Set<number>();
  const rest = argv.filter((a, i) => a !== '--json' && !skip.has(i));
  if (rest.length !== 1) throw new MetacamError('E_ARG', 'Usage: metacam models inspect <bundled name | model.json | model.onnx> [--json] [--backend cpu|wasm|…]');
  await selectBackend(backend);
  const m = await openModel(rest[0]);
  try {
    const i = inspectModel(m);
    if (json) io.stdout.write(`${JSON.stringify({ id: m.id, sha256: m.sha256, inputSize: m.inputSize, labels: m.labels, ...i })}\n`);
    else io.stdout.write(`${formatInspection(m.id, m, i)}\n`);
    return 0;
  } finally {
    m.model.dispose();
  }
}
