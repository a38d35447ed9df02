/** The bench's own unit tests (the project config only collects src/ and test/): npx vitest run --config bench/vitest.config.ts */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { include: ['bench/**/*.test.ts'], root: new URL('..', import.meta.url).pathname },
});
