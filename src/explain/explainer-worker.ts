/**
 * Worker-thread side of `createWorkerExplainer`: owns its own TensorFlow.js backend, model and explainer, so the
 * heavy synchronous tensor work never blocks the main thread, which then keeps ffmpeg's pipes flowing (decode
 * and encode overlap with inference). Messages: init → ready|error, explain → result|error, then exit.
 */
import { parentPort } from 'node:worker_threads';
import { selectBackend, type BackendChoice } from './backend.js';
import { openModel, type LoadModelOptions } from './model-registry.js';
import { createExplainer, type Explainer } from './explainer.js';
import { getMethods } from './methods/index.js';
import type { CamOptions } from './methods/types.js';
import type { Frame } from '../ingest/frame.js';
import { MetacamError } from '../errors.js';

export interface WorkerInit {
  readonly backend: BackendChoice;
  readonly model: string;
  readonly modelOptions: LoadModelOptions;
  readonly layer: string;
  readonly methods: readonly string[];
  readonly classMode: 'auto' | number;
  readonly batchSize: number;
  readonly camOptions: Partial<CamOptions>;
}

export type ToWorker = { type: 'init'; init: WorkerInit } | { type: 'explain'; id: number; frames: Frame[] };

function serialiseError(e: unknown): { code: string; message: string } {
  return e instanceof MetacamError ? { code: e.code, message: e.message } : { code: 'E_INTERNAL', message: String((e as Error)?.stack ?? e) };
}

let explainer: Explainer | undefined;
const port = parentPort!;

port.on('message', async (msg: ToWorker) => {
  if (msg.type === 'init') {
    try {
      const i = msg.init;
      await selectBackend(i.backend);
      const model = await openModel(i.model, i.modelOptions);
      explainer = createExplainer({ model, layer: i.layer, methods: getMethods(i.methods), classMode: i.classMode, batchSize: i.batchSize, camOptions: i.camOptions });
      port.postMessage({ type: 'ready' });
    } catch (e) {
      port.postMessage({ type: 'error', error: serialiseError(e) });
    }
    return;
  }
  try {
    const maps = await explainer!.explainBatch(msg.frames);
    const transfer = maps.flatMap((m) => [m.probabilities.buffer, ...Object.values(m.maps).map((c) => c.data.buffer)]) as ArrayBuffer[];
    port.postMessage({ type: 'result', id: msg.id, maps }, [...new Set(transfer)]);
  } catch (e) {
    port.postMessage({ type: 'error', id: msg.id, error: serialiseError(e) });
  }
});
