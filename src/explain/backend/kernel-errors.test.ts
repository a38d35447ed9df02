import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from './backend.js';
import { missingKernel, withKernelErrors } from './kernel-errors.js';

beforeAll(async () => {
  await selectBackend('wasm');
});

describe('withKernelErrors', () => {
  it('turns a real "kernel not registered" from the engine into E_BACKEND naming kernel, backend and the way out', () => {
    const x = tf.zeros([2]);
    let err: unknown;
    try {
      withKernelErrors("method 'fullgrad'", () => tf.engine().runKernel('MetacamNoSuchKernel', { x }, {}));
    } catch (e) {
      err = e;
    }
    x.dispose();
    expect(err).toMatchObject({ code: 'E_BACKEND' });
    expect((err as Error).message).toMatch(/^method 'fullgrad' needs the 'MetacamNoSuchKernel' kernel, which backend 'wasm' does not provide; use --backend cpu/);
    expect((err as Error).cause).toBeInstanceOf(Error);
  });

  it.each([
    ["Kernel 'Conv2DBackpropFilter' not registered for backend 'wasm'", { kernel: 'Conv2DBackpropFilter', backend: 'wasm' }],
    ['Cannot compute gradient: gradient function not found for Erf.', { kernel: 'Erf (gradient)', backend: 'wasm' }],
    ['something else', null],
  ])('missingKernel(%j)', (msg, expected) => {
    expect(missingKernel(new Error(msg))).toEqual(expected);
  });

  it('other errors pass through unchanged', () => {
    const boom = new RangeError('boom');
    expect(() => withKernelErrors('x', () => { throw boom; })).toThrow(boom);
  });
});
