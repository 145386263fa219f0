// Hostile strings in every string and number field of every record type
// reach the HTML report as text, never as markup (issue 12 #3): the report
// holds exactly the elements its templates make. 10,000 cases checked with
// parse5 (the HTML standard's parsing algorithm); a batch of 300 loaded in
// headless Chromium with their scripts run. The stress suite loads 10,000
// in Chromium (test/stress/cli-html-hostile.test.ts).
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratchDir } from './cli-helpers';
import { baseline, BASELINE_SIGNATURE, defusedHtml, FIELDS, FREE_TEXT_FIELDS, hostileCase, renderCase, signatureInBrowser, signatureOfHtml, type Field } from './hostile-report';
import { linesOf, reportOf } from './run-fixture';

const dir = scratchDir();
let context: BrowserContext;

beforeAll(async () => {
  context = await chromium.launchPersistentContext(join(dir, 'profile'), {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});
afterAll(async () => {
  await context?.close();
  rmSync(dir, { recursive: true, force: true });
});

const freeText = new Set(FREE_TEXT_FIELDS);
const equal = (a: string[], b: string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
/** The elements of a case's report are those of the baseline's, or else those of its defused twin. */
function expectTemplateElements(got: string[], fields: Field[], values: string[]): void {
  if (equal(got, BASELINE_SIGNATURE)) return;
  const want = signatureOfHtml(defusedHtml(fields, values));
  if (!equal(got, want)) expect(got, fields.map((f) => `${f.record}:${f.path.join('.')}`).join(', ')).toEqual(want);
}

describe('the HTML report with hostile strings in any field', () => {
  it('covers every string and number field of every record type', () => {
    const types = new Set(FIELDS.map((f) => (baseline[f.record] as { type: string }).type));
    expect([...types].sort()).toEqual(['end', 'exit', 'gc', 'process', 'run', 'sample', 'trim']);
    expect(FIELDS.length).toBeGreaterThan(100);
    // ppid and the malloc settings' values, which reached the page raw before.
    expect(FIELDS.some((f) => f.path.join('.') === 'ppid')).toBe(true);
    expect(FIELDS.some((f) => f.path.join('.') === 'allocator.settings.arenaMax.value')).toBe(true);
  });

  it('renders them as text: the same elements as with the markup defused, or the record refused (10,000 cases, parse5)', () => {
    let rendered = 0;
    fc.assert(
      fc.property(hostileCase, ([fields, values]) => {
        const outcome = renderCase(fields, values);
        const label = fields.map((f: Field) => `${f.record}:${f.path.join('.')}`).join(', ');
        if ('refused' in outcome) {
          // Only a field that does not take any string may refuse it.
          if (fields.every((f) => freeText.has(f))) expect.fail(`${label}: refused (${outcome.refused})`);
          return;
        }
        rendered++;
        expectTemplateElements(signatureOfHtml(outcome.html), fields, values);
      }),
      { numRuns: 10_000 },
    );
    expect(rendered).toBeGreaterThan(6000);
  });

  it('a forged ppid and malloc setting stay text in Chromium: no element, no navigation (the issue’s examples)', async () => {
    const [run, proc, ...rest] = baseline as Record<string, any>[];
    const forged = {
      ...proc,
      ppid: '<img src=x><h1 id="pwn">pwned</h1>',
      allocator: { ...proc.allocator, settings: { ...proc.allocator.settings, arenaMax: { value: '<meta http-equiv="refresh" content="0;url=about:blank">', source: 'env', setBy: '<script type="application/json" id="mallinfo-data">{}</script>' } } },
    };
    const outcome = reportOf(linesOf([run, forged, ...rest]));
    // A ppid that is not a pid is refused with the line; a setting's setBy is any text and stays text.
    expect(outcome).toEqual({ error: expect.objectContaining({ message: 'run.ndjson, line 2: ppid must be an integer from 0' }) });
    const text = reportOf(linesOf([run, { ...forged, ppid: 1, allocator: { ...forged.allocator, settings: { ...forged.allocator.settings, arenaMax: { value: 8, source: 'env', setBy: forged.allocator.settings.arenaMax.setBy } } } }, ...rest]));
    if (!('html' in text)) throw new Error('refused');
    const page = await context.newPage();
    await page.setContent(text.html, { waitUntil: 'load' });
    expect(await page.locator('#pwn').count()).toBe(0);
    expect(await page.locator('#mallinfo-data').count()).toBe(1);
    expect(await page.textContent('body')).toContain('<script type="application/json" id="mallinfo-data">{}</script>');
    expect(page.url()).toBe('about:blank');
    await page.close();
  });

  it('renders them as text in headless Chromium, scripts run: the same elements as with the markup defused (300 cases)', async () => {
    const page = await context.newPage();
    const cases = fc.sample(hostileCase, { numRuns: 600 });
    let loaded = 0;
    for (const [fields, values] of cases) {
      if (loaded === 300) break;
      const outcome = renderCase(fields, values);
      if ('refused' in outcome) continue;
      await page.setContent(outcome.html, { waitUntil: 'load' });
      expectTemplateElements(await signatureInBrowser(page), fields, values);
      loaded++;
    }
    expect(loaded).toBe(300);
    await page.close();
  });
});
