import { METHODS, methodsHelpText } from '../../explain/methods/index.js';
import type { Io } from '../main.js';

/** `metacam methods`: the one registry — ids, groups, what each costs per frame, which are opt-in. */
export async function methodsCommand(argv: string[], io: Io): Promise<number> {
  if (argv.includes('--json')) {
    io.stdout.write(`${JSON.stringify(METHODS.map(({ id, title, paper, group, needsGradients, perChannelPasses, fullBackprop, optIn, cost }) => ({ id, title, paper, group, needsGradients, perChannelPasses, fullBackprop: Boolean(fullBackprop), optIn: Boolean(optIn), cost })))}\n`);
    return 0;
  }
  io.stdout.write(`${methodsHelpText()}\n`);
  return 0;
}
