/**
 * The ONNX row of the benchmark: the torchvision MobileNetV2 export of the conformance fixture
 * (test/fixtures/onnx-conformance/mnv2/model.onnx, 224², torchvision preprocessing), run as TensorFlow.js ops.
 * Figures as in model-bench.ts, timed round-robin at batch 8 on the fixture's frames: the engine forward (an
 * explainer with no method: preprocess + body to the target + head + read-back) and MetaCAM realtime (the
 * realtime members in one explainer + createMetaCam per frame), with their ratio. `bench/run.ts` adds it to
 * `npm run bench`; `node --import tsx bench/onnx-bench.ts [--quick] [--backend wasm]` runs it alone.
 */
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend, type BackendChoice } from '../src/explain/backend/backend.js';
import { createExplainer, type Explainer } from '../src/explain/engine/explainer.js';
import { openModel } from '../src/explain/model/model-registry.js';
import { createMetaCam } from '../src/metacam/create-metacam.js';
import { chooseMembers } from '../src/pipeline/session.js';
import { fixtureFrames, fixturePath } from '../test/methods/onnx-fixture.js';
import { fps, ratio, round, timeRoundRobin } from './timing.js';

const BATCH = 8;

export interface OnnxBench {
  readonly model: string;
  readonly format: 'onnx';
  readonly layer: string;
  readonly batch: number;
  readonly forwardFps: number;
  readonly metacamRealtimeFps: number;
  readonly metacamRealtimeOverForward: number | null;
  readonly metacamRealtimeMembers: readonly string[];
  readonly medianMs: Readonly<Record<string, number>>;
  readonly tensorsLeaked: number;
}

export async function benchOnnx(options: { quick: boolean; log?: (line: string) => void }): Promise<OnnxBench> {
  const path = fixturePath('mnv2', 'model.onnx');
  const model = await openModel(path, { inputRange: '0,1', mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] });
  const explainers: Explainer[] = [];
  try {
    const six = await fixtureFrames('mnv2', 6);
    const batch = Array.from({ length: BATCH }, (_, i) => ({ ...six[i % six.length], index: i }));
    const realtime = chooseMembers({ preset: 'realtime' });
    const make = (methods: typeof realtime): Explainer => {
      const e = createExplainer({ model, methods, batchSize: BATCH });
      explainers.push(e);
      return e;
    };
    const engine = make([]);
    const rt = make(realtime);
    const metacam = createMetaCam({ members: realtime.map((m) => m.id) });
    const tensorsBefore = tf.memory().numTensors;
    options.log?.(`onnx mnv2: layer ${engine.layer}, ${realtime.length} realtime members`);
    const t = await timeRoundRobin(
      [
        ['forward', () => engine.explainBatch(batch)],
        ['metacamRealtime', async () => {
          const maps = await rt.explainBatch(batch);
          for (let i = 0; i < batch.length; i++) metacam.explain(batch[i], maps[i], model.labels);
        }],
      ],
      options.quick ? { warmup: 1, minReps: 2, maxReps: 2, maxMs: 0 } : { warmup: 1, minReps: 3, maxReps: 7, maxMs: 60_000 },
    );
    const forwardFps = fps(BATCH, t.forward.medianMs);
    const metacamRealtimeFps = fps(BATCH, t.metacamRealtime.medianMs);
    return {
      model: 'onnx:mnv2 (test/fixtures/onnx-conformance/mnv2/model.onnx)',
      format: 'onnx',
      layer: engine.layer,
      batch: BATCH,
      forwardFps,
      metacamRealtimeFps,
      metacamRealtimeOverForward: ratio(metacamRealtimeFps, forwardFps),
      metacamRealtimeMembers: realtime.map((m) => m.id),
      medianMs: { forward: round(t.forward.medianMs, 1), metacamRealtime: round(t.metacamRealtime.medianMs, 1) },
      tensorsLeaked: tf.memory().numTensors - tensorsBefore,
    };
  } finally {
    for (const e of explainers) e.dispose();
    model.model.dispose();
  }
}

/** One line for the printed table. */
export function formatOnnxRow(r: OnnxBench): string {
  return `ONNX MobileNetV2 (torchvision export, batch ${r.batch}): forward ${r.forwardFps.toFixed(2)} fps · MetaCAM realtime ${r.metacamRealtimeFps.toFixed(2)} fps (${r.metacamRealtimeOverForward?.toFixed(2) ?? '—'}× forward)`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const argv = process.argv.slice(2);
  const at = argv.indexOf('--backend');
  const backend = await selectBackend((at >= 0 ? argv[at + 1] : 'auto') as BackendChoice);
  const r = await benchOnnx({ quick: argv.includes('--quick'), log: (l) => process.stderr.write(`${l}\n`) });
  process.stdout.write(`${backend.name}: ${formatOnnxRow(r)}\n${JSON.stringify(r)}\n`);
}
