// PNG pictures of benchmark pages for the docs, drawn by headless Chromium
// (Debian's chromium package, driven by playwright-core as in
// test/cli-html.test.ts). Only the benchmarks need it, never npm test.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The browser used; CHROMIUM overrides where it is. */
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

/**
 * Opens `htmlFile` in headless Chromium, waits until its chart is drawn
 * (`window.mallinfoChart`), and saves the page's `<main>` as `pngFile`.
 * Returns null when written, or what is missing (the browser, the driver)
 * when it could not be.
 */
export async function screenshotPage(htmlFile, pngFile, { width = 960 } = {}) {
  if (!existsSync(CHROMIUM)) return `Chromium not found at ${CHROMIUM} (Debian: apt-get install chromium; or set CHROMIUM to a Chromium binary)`;
  let chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch {
    return 'playwright-core is not installed (it is a devDependency: run npm ci)';
  }
  const profile = await mkdtemp(join(tmpdir(), 'mallinfo-plot-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width, height: 800 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await context.newPage();
    await page.goto(pathToFileURL(htmlFile).href);
    await page.waitForFunction(() => window.mallinfoChart !== undefined, undefined, { timeout: 10_000 });
    await page.locator('main').screenshot({ path: pngFile });
  } finally {
    await context.close();
    await rm(profile, { recursive: true, force: true });
  }
  return null;
}
