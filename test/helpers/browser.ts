/**
 * The one way a test opens a headless Chromium: the path found by test/support/browser-setup.ts (the npm
 * package's browser, else the system's), launched with the flags this sandboxed, offline machine needs.
 * `hasBrowser` is false only off CI with no browser at all (globalSetup fails the run under CI=true).
 */
import { inject } from 'vitest';
import { chromium, type Browser } from 'playwright-core';

export const chromiumPath: string = inject('chromiumPath');
export const hasBrowser = chromiumPath !== '';

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

export function launchBrowser(): Promise<Browser> {
  if (!hasBrowser) throw new Error('no Chromium for the browser tests (see test/support/browser-setup.ts)');
  return chromium.launch({ executablePath: chromiumPath, args: ARGS });
}
