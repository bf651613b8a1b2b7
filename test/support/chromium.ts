import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

/** Debian's chromium package (.ci/run installs it); CHROMIUM_PATH points elsewhere on other machines. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Where browser tests leave screenshots (git-ignored). */
export function testOutputDir(...parts: string[]): string {
  const dir = join(__dirname, '../../test-output', ...parts);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * Headless Chromium with a fresh temporary profile (playwright-core makes one per launch), nothing fetched or synced
 * in the background. A machine without Chromium fails the test that needs it, with what to install: browser tests are
 * never skipped.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium is missing at ${CHROMIUM_PATH}: the status page's browser tests need it. Install it (apt-get install chromium; .ci/run does) or set CHROMIUM_PATH.`);
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
