/**
 * Picks the TensorFlow.js backend. `auto` prefers native TensorFlow (GPU, then CPU build: optional dependencies
 * that do not install everywhere), then WebAssembly, then the pure-JS cpu backend, and records why each earlier
 * choice was skipped so `metacam doctor` and `--json` can say it.
 *
 * One tf instance: everything in this project imports `@tensorflow/tfjs-core` (+ `-layers`, `-backend-*`), never
 * the `@tensorflow/tfjs` umbrella, so exactly one engine and one kernel registry exist. The wasm binaries are
 * loaded from the package's own `dist/` folder on disk: no network.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { MetacamError } from '../../errors.js';

export type BackendChoice = 'auto' | 'tensorflow' | 'wasm' | 'cpu';

export interface SkippedBackend {
  readonly package: string;
  readonly reason: string;
}

export interface BackendInfo {
  /** tfjs backend name: 'tensorflow' | 'wasm' | 'cpu'. */
  readonly name: string;
  /** npm package providing it. */
  readonly package: string;
  readonly version: string;
  /** Worker threads used by the backend (wasm: 1 in Node, threads do not run there). */
  readonly threads?: number;
  /** Backends tried before this one and why they were not used (auto only). */
  readonly skipped: readonly SkippedBackend[];
}

const require = createRequire(import.meta.url);

const INSTALL_HINT: Record<string, string> = {
  '@tensorflow/tfjs-node-gpu': 'npm install @tensorflow/tfjs-node-gpu@4.22.0 (needs CUDA 11.2 + cuDNN 8.1 on Linux x64)',
  '@tensorflow/tfjs-node': 'npm install @tensorflow/tfjs-node@4.22.0 (downloads libtensorflow at install time)',
  '@tensorflow/tfjs-backend-wasm': 'npm install @tensorflow/tfjs-backend-wasm@4.22.0',
  '@tensorflow/tfjs-backend-cpu': 'npm install @tensorflow/tfjs-backend-cpu@4.22.0',
};

/** Directory of an installed package (its `exports` may hide package.json, so resolve the main entry). */
export function packageDir(pkg: string): string {
  let dir = dirname(require.resolve(pkg));
  // Walk up from the entry point to the folder holding the package's package.json.
  for (let i = 0; i < 6; i++) {
    try {
      const pj = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (pj.name === pkg) return dir;
    } catch {
      /* not here */
    }
    dir = dirname(dir);
  }
  throw new Error(`cannot find package.json of ${pkg}`);
}

export function packageVersion(pkg: string): string {
  const pj = JSON.parse(readFileSync(join(packageDir(pkg), 'package.json'), 'utf8')) as { version?: string };
  return pj.version ?? 'unknown';
}

function describe(e: unknown): string {
  if (e instanceof Error) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') return 'not installed';
    return e.message.split('\n')[0];
  }
  return String(e);
}

let wasmPathSet = false;
let wasmKernelsRegistered = false;

async function tryTensorflow(pkg: string): Promise<BackendInfo> {
  // Importing tfjs-node registers the 'tensorflow' backend on the shared engine; a broken native binding throws here.
  await import(pkg);
  if (!(await tf.setBackend('tensorflow'))) throw new Error(`${pkg} loaded but backend 'tensorflow' did not initialise`);
  await tf.ready();
  return { name: 'tensorflow', package: pkg, version: packageVersion(pkg), skipped: [] };
}

/** Registers extra wasm gradient kernels when that module exists (it is optional: absent in early checkouts). */
async function registerWasmExtras(): Promise<void> {
  if (wasmKernelsRegistered) return;
  wasmKernelsRegistered = true;
  const spec = './wasm-kernels/index.js';
  let mod: { registerWasmGradientKernels?: () => void } | undefined;
  try {
    mod = (await import(spec)) as { registerWasmGradientKernels?: () => void };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const msg = e instanceof Error ? e.message : String(e);
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND' || /Cannot find module|Failed to load url|does not exist/i.test(msg)) return;
    throw e;
  }
  mod?.registerWasmGradientKernels?.();
}

async function tryWasm(): Promise<BackendInfo> {
  const pkg = '@tensorflow/tfjs-backend-wasm';
  const wasm = (await import(pkg)) as typeof import('@tensorflow/tfjs-backend-wasm');
  if (!wasmPathSet) {
    wasmPathSet = true;
    try {
      // Trailing separator: tfjs concatenates prefix + file name. Must precede the backend's initialisation.
      wasm.setWasmPaths(join(packageDir(pkg), 'dist') + '/');
    } catch (e) {
      // Someone initialised wasm before us (with their own paths): keep theirs.
      if (!/already initialized/i.test((e as Error).message)) throw e;
    }
  }
  if (!(await tf.setBackend('wasm'))) throw new Error('wasm backend failed to initialise');
  await tf.ready();
  await registerWasmExtras();
  return { name: 'wasm', package: pkg, version: packageVersion(pkg), threads: wasm.getThreadsCount(), skipped: [] };
}

async function tryCpu(): Promise<BackendInfo> {
  const pkg = '@tensorflow/tfjs-backend-cpu';
  await import(pkg);
  if (!(await tf.setBackend('cpu'))) throw new Error('cpu backend failed to initialise');
  await tf.ready();
  return { name: 'cpu', package: pkg, version: packageVersion(pkg), threads: 1, skipped: [] };
}

export interface SelectBackendOptions {
  /** Native TensorFlow bindings to try, in order (default: tfjs-node-gpu, tfjs-node). Module specifiers or paths. */
  readonly nativePackages?: readonly string[];
}

let gradientsLoaded: Promise<void> | undefined;

/**
 * Makes sure gradient functions are registered. tfjs-core's Node bundle (`dist/tf-core.node.js`) registers none
 * (its `register_all_gradients` exists only as extension-less ESM that Node cannot load), so `tf.grad` fails
 * with "gradient function not found for Sum". The `@tensorflow/tfjs` union bundle registers them all into the
 * global registry, built on the SAME tfjs-core instance (checked in backend.test.ts), so it adds no second
 * engine. Idempotent.
 */
export function ensureGradientsRegistered(): Promise<void> {
  gradientsLoaded ??= (async () => {
    if (tf.getGradient(tf.Sum) !== undefined) return;
    await import('@tensorflow/tfjs');
    if (tf.getGradient(tf.Sum) === undefined) {
      throw new MetacamError('E_BACKEND', 'tfjs gradient functions could not be registered (is @tensorflow/tfjs installed? npm install @tensorflow/tfjs@4.22.0)');
    }
  })();
  return gradientsLoaded;
}

/**
 * Activates a backend on the (single) tfjs engine. An explicit choice that cannot be used is an E_BACKEND error
 * that says how to install it; `auto` falls through and records each reason in `skipped`.
 */
export async function selectBackend(choice: BackendChoice = 'auto', options: SelectBackendOptions = {}): Promise<BackendInfo> {
  const native = (options.nativePackages ?? ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']).map((pkg) => ({
    pkg,
    run: () => tryTensorflow(pkg),
  }));
  const attempts: { pkg: string; run: () => Promise<BackendInfo> }[] =
    choice === 'tensorflow'
      ? native
      : choice === 'wasm'
        ? [{ pkg: '@tensorflow/tfjs-backend-wasm', run: tryWasm }]
        : choice === 'cpu'
          ? [{ pkg: '@tensorflow/tfjs-backend-cpu', run: tryCpu }]
          : choice === 'auto'
            ? [
                ...native,
                { pkg: '@tensorflow/tfjs-backend-wasm', run: tryWasm },
                { pkg: '@tensorflow/tfjs-backend-cpu', run: tryCpu },
              ]
            : [];
  if (attempts.length === 0) {
    throw new MetacamError('E_ARG', `--backend '${String(choice)}' is not one of auto, tensorflow, wasm, cpu`);
  }
  const skipped: SkippedBackend[] = [];
  for (const a of attempts) {
    try {
      const info = await a.run();
      await ensureGradientsRegistered();
      return { ...info, skipped };
    } catch (e) {
      skipped.push({ package: a.pkg, reason: describe(e) });
    }
  }
  const tried = skipped.map((s) => `${s.package}: ${s.reason}`).join('; ');
  const hints = skipped.map((s) => INSTALL_HINT[s.package] ?? `npm install ${s.package}`).join(' or ');
  throw new MetacamError(
    'E_BACKEND',
    `backend '${choice}' is not available (${tried}). Install it with: ${hints}` +
      (choice === 'auto' ? '' : `, or use --backend auto`),
  );
}

/** Name of the active backend ('' before any selection). */
export function activeBackendName(): string {
  try {
    return tf.getBackend() ?? '';
  } catch {
    return '';
  }
}
