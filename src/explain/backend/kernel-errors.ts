/**
 * Turns tfjs's "kernel not registered" / "gradient function not found" failures into a coded E_BACKEND error
 * that names the missing kernel, the backend that lacks it, and what to use instead.
 */
import * as tf from '@tensorflow/tfjs-core';
import { MetacamError } from '../../errors.js';

/** The missing kernel named by a tfjs error, or null when the error is something else. */
export function missingKernel(e: unknown): { kernel: string; backend: string } | null {
  const msg = e instanceof Error ? e.message : String(e);
  const m = /Kernel '(\w+)' not registered for backend '(\w+)'/.exec(msg);
  if (m) return { kernel: m[1], backend: m[2] };
  const g = /gradient function not found for (\w+)/.exec(msg);
  if (g) return { kernel: `${g[1]} (gradient)`, backend: safeBackend() };
  return null;
}

function safeBackend(): string {
  try {
    return tf.getBackend();
  } catch {
    return 'unknown';
  }
}

/** Runs fn; a missing-kernel failure becomes E_BACKEND saying what needs it and which backend to use. */
export function withKernelErrors<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    const k = missingKernel(e);
    if (!k) throw e;
    throw new MetacamError(
      'E_BACKEND',
      `${what} needs the '${k.kernel}' kernel, which backend '${k.backend}' does not provide; ` +
        `use --backend cpu (slow) or --backend tensorflow (@tensorflow/tfjs-node), or drop the method that needs it`,
      { cause: e },
    );
  }
}
