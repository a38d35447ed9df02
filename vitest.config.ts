import { defineConfig } from 'vitest/config';
import CountReporter from './test/support/count-reporter.js';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Finds the headless Chromium for the browser tests once (npm package first, then the system's).
    globalSetup: ['./test/support/browser-setup.ts'],
    // Two cores: tfjs-wasm and ffmpeg are CPU-bound, so more workers only thrash.
    pool: 'forks',
    poolOptions: { forks: { minForks: 1, maxForks: 2 } },
    testTimeout: 120_000,
    hookTimeout: 120_000,
    reporters: ['default', new CountReporter()],
  },
});
