/**
 * An Explainer whose tensor work runs in a worker thread. On the wasm and cpu backends a batch's forward and
 * backward passes block the thread they run on for hundreds of milliseconds; on the main thread that also stalls
 * the ffmpeg pipes, so decoding, inference and encoding run one after another. Here only the model-size input
 * (e.g. 224×224×3 bytes per frame) crosses to the worker and only the small maps come back, so the main thread
 * keeps feeding ffmpeg while the worker computes. Same results as the in-process explainer (same code runs there).
 */
import { Worker } from 'node:worker_threads';
import type { Frame } from '../../core/frame.js';
import type { FrameMaps } from '../../core/frame-maps.js';
import type { Explainer } from './explainer.js';
import type { WorkerInit } from './explainer-worker.js';
import type { BackendInfo } from '../backend/backend.js';
import type { ModelInfo } from './engine.js';
import { getMethods } from '../methods/index.js';
import { MetacamError, type ErrorCode } from '../../errors.js';

export type WorkerExplainer = Pick<Explainer, 'layer' | 'activationShape' | 'labels' | 'batchSize' | 'methods' | 'explainBatch' | 'dispose'>;

/** A ready worker: its explainer, and what it found when it loaded the model and the backend. */
export interface StartedWorker {
  readonly explainer: WorkerExplainer;
  readonly info: ModelInfo;
  readonly backend: BackendInfo;
}

// Run from source (tsx) or from the compiled dist/: the worker module has the same extension as this one.
const WORKER_URL = new URL(`./explainer-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url).href;

/**
 * A worker thread started ahead of its explainer: it loads its modules (TensorFlow.js, the methods) while the
 * caller opens its session, then `init` sends the explainer's settings. Call `init` or `terminate` exactly once.
 */
export interface PendingWorker {
  init(init: WorkerInit): Promise<StartedWorker>;
  terminate(): Promise<void>;
}

/** Starts the worker thread now; nothing is loaded into its backend until `init`. */
export function spawnExplainerWorker(): PendingWorker {
  // `--import tsx` does not reach worker threads on Node 20: the worker registers tsx's loader itself.
  const worker = new Worker(
    `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(WORKER_URL)}); });`,
    { eval: true },
  );
  return {
    init: (init) => initWorker(worker, init),
    terminate: async () => { await worker.terminate(); },
  };
}

/** Starts the worker (which loads its own backend and model) and resolves once it is ready. */
export async function createWorkerExplainer(init: WorkerInit): Promise<StartedWorker> {
  return spawnExplainerWorker().init(init);
}

async function initWorker(worker: Worker, init: WorkerInit): Promise<StartedWorker> {
  const pending = new Map<number, { resolve: (m: FrameMaps[]) => void; reject: (e: Error) => void }>();
  let nextId = 0;
  let failure: Error | undefined;
  const failAll = (e: Error) => {
    failure ??= e;
    for (const p of pending.values()) p.reject(e);
    pending.clear();
  };
  const toError = (err: { code: string; message: string }) => new MetacamError(err.code as ErrorCode, err.message);
  let ready!: (facts: { info: ModelInfo; backend: BackendInfo }) => void;
  let notReady!: (e: Error) => void;
  const started = new Promise<{ info: ModelInfo; backend: BackendInfo }>((res, rej) => { ready = res; notReady = rej; });
  type FromWorker = { type: string; id?: number; maps?: FrameMaps[]; error?: { code: string; message: string }; info?: ModelInfo; backend?: BackendInfo };
  worker.on('message', (msg: FromWorker) => {
    if (msg.type === 'ready') return ready({ info: msg.info!, backend: msg.backend! });
    if (msg.type === 'error' && msg.id === undefined) return notReady(toError(msg.error!));
    const p = pending.get(msg.id!);
    if (!p) return;
    pending.delete(msg.id!);
    if (msg.type === 'result') p.resolve(msg.maps!);
    else p.reject(toError(msg.error!));
  });
  worker.on('error', (e) => { notReady(e); failAll(e); });
  worker.on('exit', (code) => {
    const e = new MetacamError('E_INTERNAL', `the explainer worker exited (code ${code})`);
    notReady(e);
    failAll(e);
  });
  worker.postMessage({ type: 'init', init });
  let facts: { info: ModelInfo; backend: BackendInfo };
  try {
    facts = await started;
  } catch (e) {
    await worker.terminate();
    throw e;
  }
  let disposed = false;
  const explainer: WorkerExplainer = {
    layer: facts.info.layer,
    activationShape: facts.info.activationShape,
    labels: facts.info.labels,
    methods: getMethods(init.methods, { extraLayers: init.settings.extraLayers }),
    batchSize: init.settings.batch,
    explainBatch(frames: readonly Frame[]): Promise<FrameMaps[]> {
      if (failure) return Promise.reject(failure);
      const id = nextId++;
      // Copy the model-size pixels: the caller keeps using its frames (scene-cut histograms, the audit hash).
      const sent = frames.map((f) => ({ index: f.index, ptsSeconds: f.ptsSeconds, input: { width: f.input.width, height: f.input.height, data: new Uint8Array(f.input.data) } }));
      return new Promise<FrameMaps[]>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage({ type: 'explain', id, frames: sent }, sent.map((f) => f.input.data.buffer as ArrayBuffer));
      });
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      void worker.terminate();
    },
  };
  return { explainer, ...facts };
}
