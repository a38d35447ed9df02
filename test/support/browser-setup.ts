/**
 * vitest globalSetup: finds the headless Chromium that the browser tests drive, once per run, and hands its
 * path to every test file (`inject('chromiumPath')`). Order: the binary shipped inside the npm package
 * `@sparticuz/chromium` (a devDependency, so a fresh `npm ci` has it), then Debian's `/usr/bin/chromium`.
 * Resolving here, not per file, unpacks the packaged browser once instead of racing two test workers on it.
 * With neither, the browser tests skip with a one-line notice — and under CI=true the run fails instead.
 */
import { existsSync } from 'node:fs';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Absolute path of a headless Chromium, or '' where none could be found. */
    chromiumPath: string;
  }
}

const SYSTEM_CHROMIUM = '/usr/bin/chromium';

async function packagedChromium(): Promise<string | undefined> {
  try {
    const { default: chromium } = await import('@sparticuz/chromium');
    const path = await chromium.executablePath();
    return existsSync(path) ? path : undefined;
  } catch (e) {
    process.stderr.write(`browser tests: @sparticuz/chromium unusable here (${(e as Error).message})\n`);
    return undefined;
  }
}

export async function findChromium(): Promise<string | undefined> {
  return process.env.METACAM_TEST_CHROMIUM || (await packagedChromium()) || (existsSync(SYSTEM_CHROMIUM) ? SYSTEM_CHROMIUM : undefined);
}

export default async function setup(project: TestProject): Promise<void> {
  const path = await findChromium();
  if (!path) {
    const notice = 'browser tests: no Chromium — run `npm ci` (devDependency @sparticuz/chromium) or `apt-get install chromium`';
    if (process.env.CI === 'true') throw new Error(`${notice}; under CI a missing browser is a failure`);
    process.stderr.write(`${notice}; skipping them\n`);
  }
  project.provide('chromiumPath', path ?? '');
}
