import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { MetacamError } from '../../errors.js';
import { selectBackend } from './backend.js';

describe('selectBackend', () => {
  it('auto falls through the absent tfjs-node builds to wasm and says why', async () => {
    const info = await selectBackend('auto');
    expect(info.name).toBe('wasm');
    expect(info.package).toBe('@tensorflow/tfjs-backend-wasm');
    expect(info.version).toMatch(/^4\./);
    expect(info.threads).toBe(1);
    expect(info.skipped.map((s) => s.package)).toEqual(['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']);
    for (const s of info.skipped) expect(s.reason).toBe('not installed');
    expect(tf.getBackend()).toBe('wasm');
    // The wasm backend really computes (binary loaded from disk).
    const y = tf.tidy(() => tf.sum(tf.mul(tf.tensor1d([1, 2, 3]), tf.tensor1d([4, 5, 6]))));
    expect((await y.data())[0]).toBe(32);
    y.dispose();
  });

  it('an explicit tensorflow choice that is not installed is E_BACKEND with the install command', async () => {
    const err = await selectBackend('tensorflow').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MetacamError);
    expect((err as MetacamError).code).toBe('E_BACKEND');
    expect((err as MetacamError).message).toMatch(/npm install @tensorflow\/tfjs-node/);
    expect(tf.getBackend()).toBe('wasm'); // the active backend is unchanged
  });

  it('cpu and back to wasm on the same engine (one tf instance)', async () => {
    const cpu = await selectBackend('cpu');
    expect(cpu.name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    const wasm = await selectBackend('wasm');
    expect(wasm.name).toBe('wasm');
  });

  it('every tfjs package resolves the same tfjs-core file (one engine, one kernel registry)', () => {
    const ours = createRequire(import.meta.url).resolve('@tensorflow/tfjs-core');
    for (const pkg of ['@tensorflow/tfjs-layers', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-backend-cpu', '@tensorflow/tfjs']) {
      const fromPkg = createRequire(createRequire(import.meta.url).resolve(pkg)).resolve('@tensorflow/tfjs-core');
      expect(fromPkg, pkg).toBe(ours);
    }
  });

  it('a present-but-broken native binding falls through with its reason recorded', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'metacam-broken-'));
    const broken = join(dir, 'broken-tfjs-node.mjs');
    writeFileSync(broken, "throw new Error('libtensorflow.so.2: cannot open shared object file');\n");
    try {
      const info = await selectBackend('auto', { nativePackages: [broken, '@tensorflow/tfjs-node'] });
      expect(info.name).toBe('wasm');
      expect(info.skipped).toEqual([
        { package: broken, reason: 'libtensorflow.so.2: cannot open shared object file' },
        { package: '@tensorflow/tfjs-node', reason: 'not installed' },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects an unknown choice', async () => {
    await expect(selectBackend('gpu' as never)).rejects.toMatchObject({ code: 'E_ARG' });
  });
});
