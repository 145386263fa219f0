// The HTML report in a real browser (Debian's chromium, driven by
// playwright-core): it opens offline, the chart draws every series, the
// verdict shows, and hostile strings from the run stay text.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonForScript } from '../src/cli/escape';
import { expectFragmentationStory, fixture, lastJsonLine, readRecords, runCli, scratchDir } from './cli-helpers';
import { root } from './helpers';

const HOSTILE_NAME = '<img src=x onerror=alert(1)>.mjs';
const HOSTILE_ARG = '</script><script>alert(2)</script>';
const HOSTILE_ENV = '2<script>alert(3)</script>';
const artifacts = join(root, '.vitest-artifacts');
const dir = scratchDir();
let context: BrowserContext;
let page: Page;
const dialogs: string[] = [];
const requests: string[] = [];
let summary: Record<string, any>;
let samples: number;

beforeAll(async () => {
  // The fragmentation story with --auto-trim, under a hostile file name, with a hostile argument and environment.
  const program = join(dir, HOSTILE_NAME);
  writeFileSync(program, `import ${JSON.stringify(pathToFileURL(fixture('fragmentation.mjs')).href)};\n`);
  const ndjson = join(dir, 'run.ndjson');
  const html = join(dir, 'report.html');
  const result = await runCli(['run', '--quiet', '--json', '--auto-trim', '--interval', '50ms', '--ndjson', ndjson, '--html', html, '--', 'node', program, HOSTILE_ARG], {
    env: { MALLOC_ARENA_MAX: HOSTILE_ENV, ROUNDS: '6', PAUSE_MS: '500', QUIET_MS: '3000' },
  });
  expect(result.code).toBe(0);
  summary = lastJsonLine(result.stdout);
  samples = readRecords(ndjson).filter((r) => r.type === 'sample').length;

  context = await chromium.launchPersistentContext(join(dir, 'profile'), {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await context.newPage();
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('request', (r) => requests.push(r.url()));
  await page.setViewportSize({ width: 1200, height: 900 });
  await page.goto(pathToFileURL(html).href);
  await page.waitForFunction(() => (window as any).mallinfoChart !== undefined, undefined, { timeout: 10_000 });
  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: join(artifacts, 'cli-report.png'), fullPage: true });
}, 60_000);

afterAll(async () => {
  await context?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the HTML report, in Chromium', () => {
  it('opens offline: the page loads nothing but itself', () => {
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatch(/^file:.*report\.html$/);
  });

  it('charts RSS, in use, free, mapped and V8 heap, one point per sample, each line drawn, the trim marked', async () => {
    const chart = await page.evaluate(() => {
      const u = (window as any).mallinfoChart;
      return { labels: u.series.map((s: { label: string }) => s.label), points: u.data[0].length, title: document.querySelector('.u-title')?.textContent };
    });
    expect(chart.labels).toEqual(['time', 'RSS', 'in use', 'free', 'mapped', 'V8 heap']);
    expect(chart.points).toBe(samples);
    expect(chart.title).toBe(`pid ${summary.primary.pid}: ${process.execPath} ${JSON.stringify(join(dir, HOSTILE_NAME))} ${HOSTILE_ARG}`);
    // Pixels of each series' colour on the canvas: the lines were drawn, not only the legend.
    const counts = await page.evaluate(() => {
      const canvas = document.querySelector('#chart canvas') as HTMLCanvasElement;
      const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      const colours: Record<string, number[]> = {
        RSS: [220, 38, 38],
        'in use': [37, 99, 235],
        free: [234, 88, 12],
        mapped: [100, 116, 139],
        'V8 heap': [22, 163, 74],
        'trim mark': [124, 58, 237],
      };
      const out: Record<string, number> = {};
      for (const [name, [r, g, b]] of Object.entries(colours)) {
        let n = 0;
        for (let i = 0; i < pixels.length; i += 4) {
          if (Math.abs(pixels[i] - r) < 12 && Math.abs(pixels[i + 1] - g) < 12 && Math.abs(pixels[i + 2] - b) < 12) n++;
        }
        out[name] = n;
      }
      return out;
    });
    for (const [name, n] of Object.entries(counts)) expect(n, name).toBeGreaterThan(100);
    expect(summary.trims).toHaveLength(1);
    expect(await page.locator('#trims li').count()).toBe(1);
  });

  it('shows the verdict, its evidence and advice', async () => {
    const d = summary.diagnosis;
    expectFragmentationStory(d);
    const verdict = page.locator('#verdict .verdict-name');
    expect(await verdict.isVisible()).toBe(true);
    expect(await verdict.textContent()).toBe(`${d.verdict}${`confidence ${Math.round(d.confidence * 100)} %`}`);
    expect(await page.locator('#verdict .verdict-summary').textContent()).toBe(summary.diagnosis.summary);
    expect(await page.locator('#verdict dt').allTextContents()).toEqual(expect.arrayContaining(['samples', 'freed memory kept resident and unused', 'fragmentation']));
    const advice = await page.locator('#advice li').allTextContents();
    expect(advice.slice(0, summary.diagnosis.advice.length)).toEqual(summary.diagnosis.advice);
  });

  it('keeps hostile strings from the run as text: no element, no script, no dialog', async () => {
    expect(dialogs).toEqual([]);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(3);
    const command = await page.locator('p.command code').textContent();
    expect(command).toBe(`node ${JSON.stringify(join(dir, HOSTILE_NAME))} ${HOSTILE_ARG}`);
    const body = await page.locator('body').textContent();
    expect(body).toContain(`MALLOC_ARENA_MAX=${HOSTILE_ENV}`);
    // glibc reads the leading digits: the process ran with at most 2 arenas.
    expect(body).toContain('arena max 2 (MALLOC_ARENA_MAX)');
  });

  it('keeps </script> inside the inlined JSON from ending the element', async () => {
    const value = { text: `a</script><script>alert(4)</script><!--b`, line: '\u2028' };
    const file = join(dir, 'json.html');
    writeFileSync(file, `<script type="application/json" id="d">${jsonForScript(value)}</script><p id="after">after</p>`);
    const other = await context.newPage();
    other.on('dialog', (d) => dialogs.push(d.message()));
    await other.goto(pathToFileURL(file).href);
    expect(await other.evaluate(() => JSON.parse(document.getElementById('d')!.textContent!))).toEqual(value);
    expect(await other.locator('#after').textContent()).toBe('after');
    expect(dialogs).toEqual([]);
    await other.close();
  });

  it('is one file: uPlot and the chart script are inlined', () => {
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).not.toMatch(/<(script|link)[^>]+(src|href)=/);
    expect(html).toContain('uPlot');
  });
});
