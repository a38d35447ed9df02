/**
 * wasm smoke test on the conformance "deep" model (conv4 after the target layer, so head gradients go through
 * a convolution). First on STOCK tfjs-backend-wasm 4.22: every method must either produce a valid map or fail
 * with E_BACKEND naming the missing kernel — which methods need what is printed. Then with the project's wasm
 * gradient kernels registered: every method must run, and match pytorch-grad-cam where a fixture exists.
 * On mobilenet-v2 with stock wasm, FullGrad (gradients through the body) must fail with a named kernel.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import * as wasm from '@tensorflow/tfjs-backend-wasm';
import { packageDir } from '../../src/explain/backend/backend.js';
import { createCamContext } from '../../src/explain/engine/cam-context.js';
import { loadModel } from '../../src/explain/model/model-registry.js';
import { splitModel } from '../../src/explain/model/split-model.js';
import { METHODS } from '../../src/explain/methods/index.js';
import { normalizeCam, rawCam } from '../../src/explain/methods/base.js';
import { isMetacamError } from '../../src/errors.js';
import { REF_NAME } from './conformance-suite.js';
import { blob, createHarnessContext, loadInputs, loadRefs, loadVariantModel, minMaxRelu, pearson, splitAt, type HarnessContext, type Refs } from './harness.js';

let input: tf.Tensor4D;
let ctx: HarnessContext;
let refs: Refs;

beforeAll(async () => {
  wasm.setWasmPaths(`${packageDir('@tensorflow/tfjs-backend-wasm')}/dist/`);
  await tf.setBackend('wasm');
  input = loadInputs();
  refs = loadRefs('deep');
  ctx = createHarnessContext(splitAt(await loadVariantModel('deep'), 'conv3'), input, refs.json.target_modes.argmax, { maxChannels: 4, passBatch: 8 });
});
afterAll(() => {
  ctx?.dispose();
  input?.dispose();
});

function attempt(id: string): { ok: true; raw: Float32Array } | { ok: false; code: string; message: string } {
  const method = METHODS.find((m) => m.id === id)!;
  try {
    const [raw, norm] = tf.tidy(() => {
      const r = rawCam(method, ctx);
      return [r, normalizeCam(r)];
    });
    const v = norm.dataSync();
    expect(v.every((x) => x >= 0 && x <= 1)).toBe(true);
    const out = raw.dataSync() as Float32Array;
    tf.dispose([raw, norm]);
    return { ok: true, raw: out };
  } catch (e) {
    if (!isMetacamError(e)) throw e;
    return { ok: false, code: e.code, message: e.message };
  }
}

describe('wasm backend', () => {
  it('stock wasm: each method works or names the kernel it lacks', () => {
    expect(tf.getBackend()).toBe('wasm');
    const summary: Record<string, string> = {};
    for (const m of METHODS) {
      const r = attempt(m.id);
      if (r.ok) {
        summary[m.id] = 'ok';
      } else {
        expect(r.code).toBe('E_BACKEND');
        expect(r.message).toMatch(new RegExp(`method '${m.id.replace('+', '\\+').replace('+', '\\+')}' needs the '\\w+( \\(gradient\\))?' kernel, which backend 'wasm'`));
        summary[m.id] = r.message.match(/'(\w+( \(gradient\))?)' kernel/)![1];
      }
    }
    console.log('stock wasm:', JSON.stringify(summary));
    // Methods without gradients need only forward kernels, which stock wasm has.
    for (const id of ['scorecam', 'ablationcam', 'eigencam']) expect(summary[id]).toBe('ok');
  });

  it('stock wasm, mobilenet-v2: head-gradient methods run; FullGrad fails with E_BACKEND naming the kernel', async () => {
    const split = splitModel((await loadModel('mobilenet-v2')).model);
    const mctx = createCamContext(split, tf.zeros([1, 224, 224, 3]) as tf.Tensor4D, [2], { maxChannels: 2, passBatch: 2 });
    try {
      for (const id of ['gradcam', 'hirescam', 'eigengradcam', 'ablationcam']) {
        tf.tidy(() => rawCam(METHODS.find((m) => m.id === id)!, mctx)).dispose();
      }
      let err: unknown;
      try {
        tf.tidy(() => rawCam(METHODS.find((m) => m.id === 'fullgrad')!, mctx));
      } catch (e) {
        err = e;
      }
      // tfjs-backend-wasm 4.22 has no Conv2DBackpropFilter (asked for by conv gradients through the body).
      expect(err).toMatchObject({ code: 'E_BACKEND' });
      expect((err as Error).message).toMatch(/'\w+' kernel, which backend 'wasm'/);
      console.log('stock wasm, mobilenet-v2, fullgrad:', (err as Error).message.slice(0, 160));
    } finally {
      mctx.dispose();
    }
  });

  it('with the project wasm gradient kernels: every method runs; fixture methods match pytorch-grad-cam', async () => {
    const { registerWasmGradientKernels } = await import('../../src/explain/backend/wasm-kernels/index.js');
    registerWasmGradientKernels();
    for (const m of METHODS) {
      const r = attempt(m.id);
      expect(r.ok, `${m.id}: ${r.ok ? '' : r.message}`).toBe(true);
      if (!r.ok || !REF_NAME[m.id] || m.perChannelPasses) continue; // budget 4 here: perturbation refs need 32
      const ref = blob(refs, refs.json.methods[REF_NAME[m.id]].argmax.cam_raw);
      for (let i = 0; i < 6; i++) {
        const a = r.raw.subarray(i * 1024, (i + 1) * 1024);
        const b = ref.subarray(i * 1024, (i + 1) * 1024);
        const sign = m.group === 'eigen' && pearson(a, b) < 0 ? -1 : 1;
        expect(pearson(minMaxRelu(a.map((x) => sign * x)), minMaxRelu(b)), `${m.id} image ${i}`).toBeGreaterThanOrEqual(0.999);
      }
    }
  });
});
