/**
 * Everything a run needs before the first frame: the ffmpeg binaries, the TensorFlow.js backend, the model and
 * its split at the target layer, the chosen CAM members, and the MetaCAM settings. Shared by explain, image,
 * live, evaluate and the benchmark, so they resolve flags the same way and report the same facts.
 */
import { resolveFfmpeg, type FfmpegInfo } from '../ingest/ffmpeg-path.js';
import { selectBackend, type BackendInfo } from '../explain/backend.js';
import { openModel } from '../explain/model-registry.js';
import type { AnyLoadedModel } from '../explain/loaded-model.js';
import { createExplainer, type Explainer } from '../explain/explainer.js';
import { spawnExplainerWorker, type PendingWorker, type WorkerExplainer } from '../explain/worker-explainer.js';
import { METHODS, getMethods } from '../explain/methods/index.js';
import type { CamMethod } from '../explain/methods/types.js';
import { resolveMembers } from '../metacam/groups.js';
import { MetacamError } from '../errors.js';
import type { ModelOptions } from '../cli/args.js';

export interface Session {
  readonly ffmpeg: FfmpegInfo;
  readonly backend: BackendInfo;
  readonly model: AnyLoadedModel;
  readonly explainer: Explainer;
  readonly members: readonly CamMethod[];
  /** Fixed class index, or 'auto' (argmax per frame). */
  readonly classMode: 'auto' | number;
  readonly options: ModelOptions;
  dispose(): void;
}

/**
 * Members for a selection. The realtime preset keeps methods that need neither per-channel passes nor a
 * backward pass through the whole network: their cost stays a small fraction of the forward pass.
 */
export function chooseMembers(options: Pick<ModelOptions, 'methods' | 'groups' | 'preset'>): CamMethod[] {
  const realtime = options.preset === 'realtime' || (!options.preset && !options.methods?.length && !options.groups?.length);
  const descriptors = realtime ? METHODS.filter((m) => !m.fullBackprop) : METHODS;
  const ids = resolveMembers({ methods: options.methods, groups: options.groups, preset: options.preset }, descriptors);
  return getMethods(ids);
}

/** 'auto', an index, or a label matched case-insensitively against the model's labels. */
export function resolveClass(choice: ModelOptions['classChoice'], labels: readonly string[]): 'auto' | number {
  if (choice === 'auto') return 'auto';
  if (typeof choice === 'number') {
    if (choice < 0 || choice >= labels.length) {
      throw new MetacamError('E_CLASS_OUT_OF_RANGE', `--class ${choice} is out of range: this model has ${labels.length} classes (0–${labels.length - 1}: ${labels.join(', ')}).`);
    }
    return choice;
  }
  const i = labels.findIndex((l) => l.toLowerCase() === choice.toLowerCase());
  if (i < 0) throw new MetacamError('E_CLASS_OUT_OF_RANGE', `--class '${choice}' is not a label of this model; labels: ${labels.join(', ')} (or give an index, or 'auto').`);
  return i;
}

/** Defaults for every model option, as the CLI gives them. */
export const DEFAULT_MODEL_OPTIONS: ModelOptions = {
  model: 'mobilenet-v2', classChoice: 'auto', maxChannels: 64, batch: 8, backend: 'auto', topK: 10, binary: false, verbose: false, json: false,
};

/** Rows per internal pass of the per-channel methods (Score-CAM, Ablation-CAM). */
const PASS_BATCH = 64;

/**
 * `optimize: false` skips building the BN-folded inference graph, for callers that only need the session's
 * explainer for its metadata (layer, shapes, labels) because inference runs elsewhere (a worker thread).
 */
export async function openSession(partial: Partial<ModelOptions> = {}, how: { optimize?: boolean } = {}): Promise<Session> {
  const options: ModelOptions = { ...DEFAULT_MODEL_OPTIONS, ...partial };
  const members = chooseMembers(options);
  const ffmpeg = await resolveFfmpeg();
  const backend = await selectBackend(options.backend);
  const model = await openModel(options.model, { inputRange: options.inputRange, mean: options.mean, std: options.std, labelsFile: options.labels });
  let explainer: Explainer | undefined;
  try {
    const classMode = resolveClass(options.classChoice, model.labels);
    explainer = createExplainer({
      model,
      layer: options.layer,
      methods: members,
      classMode,
      batchSize: options.batch,
      camOptions: { maxChannels: options.maxChannels, passBatch: PASS_BATCH },
      optimize: how.optimize ?? true,
    });
    const ex = explainer;
    return {
      ffmpeg, backend, model, explainer: ex, members, classMode, options,
      dispose: () => {
        ex.dispose();
        model.model.dispose();
      },
    };
  } catch (e) {
    explainer?.dispose();
    model.model.dispose();
    throw e;
  }
}

/**
 * The session's explainer, run in a worker thread (`metacam explain`'s default): the same backend, model and its
 * pre-processing, layer, members, class, batch size and channel budget as `session.explainer`, which supplies
 * the metadata. `started`: a worker spawned earlier (spawnExplainerWorker), so its module loading overlapped
 * the session's. The caller disposes it.
 */
export function createSessionWorker(session: Session, started?: PendingWorker): Promise<WorkerExplainer> {
  const o = session.options;
  return (started ?? spawnExplainerWorker()).init({
    backend: o.backend, model: o.model, modelOptions: { inputRange: o.inputRange, mean: o.mean, std: o.std, labelsFile: o.labels },
    layer: session.explainer.layer, methods: session.members.map((m) => m.id), classMode: session.classMode,
    batchSize: o.batch, camOptions: { maxChannels: o.maxChannels, passBatch: PASS_BATCH },
  }, session.explainer);
}
