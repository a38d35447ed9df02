/**
 * Worker-thread side of `spawnExplainerWorker`: owns its own TensorFlow.js backend and model engine (the only
 * copy of the model in the process), so the heavy synchronous tensor work never blocks the main thread, which
 * then keeps ffmpeg's pipes flowing (decode and encode overlap with inference). Messages: init → ready (with the
 * model's facts and the backend) | error, explain → result | error, then exit.
 */
import { parentPort } from 'node:worker_threads';
import { selectBackend } from '../backend/backend.js';
import { openEngine, type ModelEngine } from './engine.js';
import { getMethods } from '../methods/index.js';
import type { ModelSettings } from '../model/model-settings.js';
import type { Frame } from '../../core/frame.js';
import { MetacamError } from '../../errors.js';

export interface WorkerInit {
  /** Resolved model settings (backend included). */
  readonly settings: ModelSettings;
  /** Member method ids. */
  readonly methods: readonly string[];
}

export type ToWorker = { type: 'init'; init: WorkerInit } | { type: 'explain'; id: number; frames: Frame[] };

function serialiseError(e: unknown): { code: string; message: string } {
  return e instanceof MetacamError ? { code: e.code, message: e.message } : { code: 'E_INTERNAL', message: String((e as Error)?.stack ?? e) };
}

let engine: ModelEngine | undefined;
const port = parentPort!;

port.on('message', async (msg: ToWorker) => {
  if (msg.type === 'init') {
    try {
      const { settings, methods } = msg.init;
      const backend = await selectBackend(settings.backend);
      engine = await openEngine(settings, getMethods(methods, { extraLayers: settings.extraLayers }));
      port.postMessage({ type: 'ready', info: engine.info, backend });
    } catch (e) {
      port.postMessage({ type: 'error', error: serialiseError(e) });
    }
    return;
  }
  try {
    const maps = await engine!.explainer.explainBatch(msg.frames);
    const transfer = maps.flatMap((m) => [m.probabilities.buffer, ...Object.values(m.maps).map((c) => c.data.buffer)]) as ArrayBuffer[];
    port.postMessage({ type: 'result', id: msg.id, maps }, [...new Set(transfer)]);
  } catch (e) {
    port.postMessage({ type: 'error', id: msg.id, error: serialiseError(e) });
  }
});
