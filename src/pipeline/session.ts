/**
 * Everything a run needs before the first frame: the ffmpeg binaries, the TensorFlow.js backend, the model and
 * its explainer, the chosen CAM members, and the resolved model settings. Shared by explain, image, live,
 * evaluate and the benchmark, so they resolve settings the same way and report the same facts.
 *
 * The model is loaded once per process that runs inference: on this thread (`engine` is then set), or — with
 * `worker` — only in the explainer worker thread, which reports the model's facts (labels, layer, input size,
 * hash) back; this thread then loads no model at all.
 */
import { resolveFfmpeg, type FfmpegInfo } from '../ingest/ffmpeg-path.js';
import { selectBackend, type BackendInfo } from '../explain/backend/backend.js';
import { openEngine, type ModelEngine, type ModelInfo } from '../explain/engine/engine.js';
import { spawnExplainerWorker, type PendingWorker, type WorkerExplainer } from '../explain/engine/worker-explainer.js';
import { METHODS, getMethods } from '../explain/methods/index.js';
import type { CamMethod } from '../explain/methods/types.js';
import { resolveModelSettings, type ModelSettings } from '../explain/model/model-settings.js';
import { resolveMembers } from '../metacam/groups.js';

export { resolveClass } from '../explain/engine/engine.js';

/** The explainer a session hands out: in-process or in a worker thread, the same calls. */
export type SessionExplainer = WorkerExplainer;

export interface Session {
  readonly ffmpeg: FfmpegInfo;
  readonly backend: BackendInfo;
  readonly model: ModelInfo;
  readonly explainer: SessionExplainer;
  readonly members: readonly CamMethod[];
  /** Fixed class index, or 'auto' (argmax per frame). */
  readonly classMode: 'auto' | number;
  /** The resolved model settings (defaults filled in). */
  readonly settings: ModelSettings;
  /** The in-process model engine; absent when inference runs in a worker thread. */
  readonly engine?: ModelEngine;
  dispose(): void;
}

export interface OpenSessionHow {
  /**
   * Run inference in a worker thread: `true` starts one, or pass one started earlier (spawnExplainerWorker) so
   * its module loading overlapped other start-up work. The session owns it from here on.
   */
  readonly worker?: boolean | PendingWorker;
  /** In-process only: build the BN-folded inference graph (default true). */
  readonly optimize?: boolean;
}

/**
 * Members for a selection. The realtime preset keeps methods that need neither per-channel passes nor a
 * backward pass through the whole network: their cost stays a small fraction of the forward pass.
 */
export function chooseMembers(options: Pick<ModelSettings, 'methods' | 'groups' | 'preset' | 'extraLayers'>): CamMethod[] {
  const realtime = options.preset === 'realtime' || (!options.preset && !options.methods?.length && !options.groups?.length);
  const descriptors = realtime ? METHODS.filter((m) => !m.fullBackprop) : METHODS;
  const ids = resolveMembers({ methods: options.methods, groups: options.groups, preset: options.preset }, descriptors);
  return getMethods(ids, { extraLayers: options.extraLayers });
}

export async function openSession(partial: Partial<ModelSettings> = {}, how: OpenSessionHow = {}): Promise<Session> {
  const pending = how.worker === true ? spawnExplainerWorker() : how.worker || undefined;
  try {
    const settings = resolveModelSettings(partial);
    const members = chooseMembers(settings);
    const ffmpeg = await resolveFfmpeg();
    if (pending) {
      const { explainer, info, backend } = await pending.init({ settings, methods: members.map((m) => m.id) });
      return { ffmpeg, backend, model: info, explainer, members, classMode: info.classMode, settings, dispose: () => explainer.dispose() };
    }
    const backend = await selectBackend(settings.backend);
    const engine = await openEngine(settings, members, { optimize: how.optimize });
    return {
      ffmpeg, backend, model: engine.info, explainer: engine.explainer, members, classMode: engine.info.classMode, settings, engine,
      dispose: () => engine.dispose(),
    };
  } catch (e) {
    await pending?.terminate();
    throw e;
  }
}
