import { listBundledModels } from '../../explain/model/model-registry.js';
import type { Io } from '../main.js';

/** `metacam models`: the bundled models, whether each can be loaded here, and from where. */
export async function modelsCommand(argv: string[], io: Io): Promise<number> {
  const models = listBundledModels();
  if (argv.includes('--json')) {
    io.stdout.write(`${JSON.stringify(models)}\n`);
    return 0;
  }
  const w = Math.max(...models.map((m) => m.name.length));
  for (const m of models) {
    io.stdout.write(`${m.name.padEnd(w)}  ${m.available ? 'available  ' : 'unavailable'}  ${m.description}  [${m.source}]${m.reason ? `\n${' '.repeat(w + 2)}${m.reason}` : ''}\n`);
  }
  io.stdout.write(`\nOr pass the path of your own tfjs LayersModel: --model path/to/model.json\n`);
  return 0;
}
