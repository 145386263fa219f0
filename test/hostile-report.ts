// Hostile values in every string and number field of every record type,
// and the check that the HTML report holds no element that its templates
// did not make: the report of the edited run must have the same elements,
// attribute names and ids, in the same order, as the report of the same
// run with the hostile strings defused (every < > & " ' made a '_').
// Used by cli-html-hostile.property.test.ts (parse5 and Chromium) and by
// the stress suite (Chromium only).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parse } from 'parse5';
import type { Page } from 'playwright-core';
import { renderHtml } from '../src/cli/html';
import { checkRecord, parseRecord, RecordError, type RunEvent } from '../src/cli/records';
import { RunData } from '../src/cli/store';
import { summarize } from '../src/cli/summary';
import { root } from './helpers';
import { baselineRecords, linesOf, reportOf } from './run-fixture';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
/** A field of one record of the baseline: its index and its path; `NEW_KEY` adds a key to an object of strings. */
export interface Field {
  record: number;
  path: (string | number)[];
}
export const NEW_KEY = '\u0000new key';

export const baseline = baselineRecords() as unknown as Json[];

function leaves(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof value === 'string' || typeof value === 'number') return [prefix];
  if (value === null || typeof value !== 'object') return [];
  const keys: (string | number)[] = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  const inner = keys.flatMap((key) => leaves((value as Record<string, Json>)[key], [...prefix, key]));
  // An object of strings (an environment): its keys reach the report too.
  const stringMap = !Array.isArray(value) && prefix.at(-1) === 'allocatorEnv';
  return stringMap ? [...inner, [...prefix, NEW_KEY]] : inner;
}

/** Every string and number field of every record of the baseline (the record's type aside), and a new key in each environment. */
export const FIELDS: Field[] = baseline.flatMap((record, index) =>
  leaves(record)
    .filter((path) => path[0] !== 'type')
    .map((path) => ({ record: index, path })),
);

/** Whether the schema takes any string in this field (free text), judged by putting one there. */
export function takesAnyString(field: Field): boolean {
  try {
    checkRecord(JSON.parse(JSON.stringify(edit(baseline[field.record], [[field.path, 'any string']]))));
    return true;
  } catch {
    return false;
  }
}

function edit(record: Json, changes: [(string | number)[], string][]): Json {
  const copy = structuredClone(record) as Record<string | number, Json>;
  for (const [path, value] of changes) {
    let node = copy;
    for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, Json>;
    const last = path.at(-1)!;
    if (last === NEW_KEY) node[value] = value;
    else node[last] = value;
  }
  return copy;
}

/** The baseline with `value` put in each of `fields` (or, defused, with its markup characters made '_'). */
export function editedLines(fields: Field[], values: string[], defused: boolean): string[] {
  const changes = new Map<number, [(string | number)[], string][]>();
  fields.forEach((field, i) => {
    const value = defused ? values[i].replace(/[<>&"']/g, '_') : values[i];
    changes.set(field.record, [...(changes.get(field.record) ?? []), [field.path, value]]);
  });
  return linesOf(baseline.map((record, i) => (changes.has(i) ? edit(record, changes.get(i)!) : record)));
}

const ATTACKS = [
  '<img src=x onerror=alert(1)>',
  '<h1 id="pwn">pwned</h1>',
  '<meta http-equiv="refresh" content="0;url=about:blank">',
  '</script><script>alert(1)</script>',
  '<script type="application/json" id="mallinfo-data">{"time":[]}</script>',
  '"><b data-pwn="1">',
  "'><b data-pwn='1'>",
  '<!--',
  '-->',
  '<![CDATA[<b data-pwn>]]>',
  '</title><b data-pwn>',
  '</style><b data-pwn>',
  '</textarea><b data-pwn>',
  '</code></dd></dl><b data-pwn>',
  '</td></tr></table><b data-pwn>',
  '<plaintext>',
  '<svg onload=alert(1)><circle/></svg>',
  '<math><mi xlink:href="x">',
  '<base href="http://example.invalid/">',
  '<iframe srcdoc="<b>x</b>"></iframe>',
  '<template><b data-pwn></template>',
  '<noscript><b data-pwn></noscript>',
  '&lt;b data-pwn&gt;',
  '&amp;',
  '\u2028</script>\u2029',
  '<',
  '>',
];
const piece = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...ATTACKS) },
  { weight: 2, arbitrary: fc.string({ unit: fc.constantFrom('<', '>', '/', '"', "'", '&', '=', ' ', '!', '-', 'b', 'img', 'script', 'id', '\n', '\u0000', 'é'), maxLength: 12 }) },
);
/** A string with markup in it: known attacks and random mixes of the characters that make markup. */
export const hostileString = fc
  .array(piece, { minLength: 1, maxLength: 3 })
  .map((parts) => parts.join(''))
  .filter((text) => text !== '');

/** The fields that take any string (free text): the ones whose hostile strings reach the page. */
export const FREE_TEXT_FIELDS = FIELDS.filter(takesAnyString);

const someOf = (pool: Field[]) => fc.uniqueArray(fc.constantFrom(...pool), { minLength: 1, maxLength: 3 });
/**
 * One case: 1 to 3 fields of the baseline, each with a hostile string;
 * mostly free-text fields (what renders), else any field (a number field
 * then refuses the string: the type is checked before use).
 */
export const hostileCase = fc
  .oneof({ weight: 4, arbitrary: someOf(FREE_TEXT_FIELDS) }, { weight: 1, arbitrary: someOf(FIELDS) })
  .chain((fields) => fc.tuple(fc.constant(fields), fc.array(hostileString, { minLength: fields.length, maxLength: fields.length })));

/** Elements in document order as `tag#id[attribute names]`, without what the chart script draws inside #chart. */
interface ElementLike {
  tagName: string;
  attrs: { name: string; value: string }[];
  childNodes?: ElementLike[];
  content?: ElementLike;
}
/** The inlined assets (uPlot, the chart script, the stylesheet): constant text, cut out before parsing to save time. */
const ASSETS = [
  readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
  readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8') + readFileSync(join(root, 'assets', 'report.css'), 'utf8'),
  readFileSync(join(root, 'assets', 'report.js'), 'utf8'),
];
export function signatureOfHtml(html: string): string[] {
  for (const asset of ASSETS) html = html.split(asset).join('');
  const out: string[] = [];
  const walk = (node: ElementLike): void => {
    if (node.tagName !== undefined) {
      const id = node.attrs.find((a) => a.name === 'id')?.value;
      out.push(`${node.tagName}${id === undefined ? '' : `#${id}`}[${node.attrs.map((a) => a.name).sort().join(' ')}]`);
      if (id === 'chart') return;
    }
    for (const child of node.childNodes ?? []) walk(child);
    if (node.content) walk(node.content);
  };
  walk(parse(html) as unknown as ElementLike);
  return out;
}

/** The same signature of the page loaded in `page` (a live DOM, after its scripts ran). */
export function signatureInBrowser(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const walk = (element: Element): void => {
      const id = element.getAttribute('id');
      out.push(`${element.localName}${id === null ? '' : `#${id}`}[${element.getAttributeNames().sort().join(' ')}]`);
      if (id === 'chart') return;
      for (const child of Array.from(element.children)) walk(child);
      if (element instanceof HTMLTemplateElement) for (const child of Array.from(element.content.children)) walk(child);
    };
    walk(document.documentElement);
    return out;
  });
}

/** The baseline's records as read back from their lines, shared by every case (the report reads records, never changes them). */
const baselineRead = linesOf(baseline).map((line) => parseRecord(line) as RunEvent);

/**
 * What `mallinfo report` makes of the case: its edited lines go through
 * the record schema (parseRecord, as the reader does), the rest are the
 * baseline's records already read; then the summary and the HTML. The
 * same as reportOf() of all the lines, at a fraction of the cost.
 */
function reportOfCase(fields: Field[], values: string[], defused: boolean): { html: string } | { refused: string } {
  const lines = editedLines(fields, values, defused);
  const edited = new Set(fields.map((f) => f.record));
  const data = new RunData();
  for (let i = 0; i < lines.length; i++) {
    let record = baselineRead[i];
    if (edited.has(i)) {
      try {
        record = parseRecord(lines[i]) as RunEvent;
      } catch (error) {
        if (error instanceof RecordError) return { refused: `run.ndjson, line ${i + 1}: ${error.message}` };
        throw error;
      }
    }
    data.add(record);
  }
  return { html: renderHtml(data, summarize(data)) };
}

/** The report of one case; or the message naming the line when the schema refused an edited field. */
export function renderCase(fields: Field[], values: string[]): { refused: string } | { html: string } {
  return reportOfCase(fields, values, false);
}

/** The report of the case with its markup defused: the elements the templates make for it. */
export function defusedHtml(fields: Field[], values: string[]): string {
  const defused = reportOfCase(fields, values, true);
  if ('refused' in defused) throw new Error(`the defused case was refused: ${defused.refused}`);
  return defused.html;
}

const baselineReport = reportOf(linesOf(baseline));
/**
 * The elements of the baseline's report. A case whose report has just these
 * needs no twin: hostile strings are never empty, so every field that the
 * templates test for emptiness stays non-empty; a case that differs is
 * compared with its defused twin, which decides.
 */
export const BASELINE_SIGNATURE = 'html' in baselineReport ? signatureOfHtml(baselineReport.html) : [];
