// The record schema (src/cli/record-schema.ts) under fast-check, 10,000
// cases each: every valid record of every type is read as it is, and a
// wrong value in any field, at any depth, is a RecordError naming that
// field, never a crash of `mallinfo report` (issue 12 #5). Then the nine
// hostile files of the issue, through the CLI: exit 1 naming the line.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { checkRecord, RecordError } from '../src/cli/records';
import { runCli, scratchDir } from './cli-helpers';
import { gcRecord, knownRecord } from './record-arbitraries';
import { baselineRecords, linesOf, reportOf } from './run-fixture';

const RUNS = { numRuns: 10_000 };
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = (string | number)[];

/** Every path into a JSON value (objects and arrays too, not only leaves), but not the root. */
function pathsOf(value: Json, prefix: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return [];
  const keys: (string | number)[] = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return keys.flatMap((key) => {
    const path = [...prefix, key];
    return [path, ...pathsOf((value as Record<string, Json>)[key], path)];
  });
}

function withValueAt(record: Json, path: Path, replacement: Json): Json {
  const copy = structuredClone(record) as Record<string | number, Json>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, Json>;
  node[path.at(-1)!] = replacement;
  return copy;
}

/** Values of every JSON type, and numbers a Date or a formatter chokes on. */
const wrongValue: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(null, true, false, '', 'x', '<b>', [], {}, [1], { a: 1 }, 0, -1, 1.5, 1e20, -1e20, 1e300, -1e300, 8.64e15 + 1, 2 ** 53),
  fc.string({ maxLength: 8 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
);

const baseline = baselineRecords() as unknown as Json[];

describe('record schema: property tests', () => {
  it('reads every valid record of every type as it is (10,000 cases)', () => {
    fc.assert(
      fc.property(knownRecord, (record) => {
        const json = JSON.parse(JSON.stringify(record));
        const got = checkRecord(json);
        if (!isDeepStrictEqual(got, json)) expect(got).toEqual(json);
      }),
      RUNS,
    );
  });

  it('refuses a wrong value in any field of any record type with a RecordError naming that field (10,000 cases)', () => {
    const edit = fc.constantFrom(...baseline).chain((record) =>
      fc.tuple(fc.constant(record), fc.constantFrom(...pathsOf(record).filter((p) => p[0] !== 'type')), wrongValue),
    );
    fc.assert(
      fc.property(edit, ([record, path, value]) => {
        const edited = JSON.parse(JSON.stringify(withValueAt(record, path, value)));
        let error: unknown;
        try {
          checkRecord(edited);
        } catch (e) {
          error = e;
        }
        if (error === undefined) return; // still valid (a number for a number, a string where any string goes…)
        if (!(error instanceof RecordError)) throw error;
        // The field named is the one edited, or inside it (a wrong object: its first missing field), or its parent (an array).
        const named = /^(\S*) (?:must be|is missing)/.exec(error.message)?.[1];
        const edited_ = path.join('.');
        if (named === undefined || !(named.startsWith(edited_) || edited_.startsWith(named))) {
          expect(error.message, `edited ${edited_}`).toMatch(new RegExp(`^${edited_.replace(/\./g, '\\.')}`));
        }
      }),
      RUNS,
    );
  });

  it('mallinfo report of a run with any field of any record replaced is a report or a FileError naming the line, never a crash (10,000 cases)', () => {
    const edit = fc.nat({ max: baseline.length - 1 }).chain((index) =>
      fc.tuple(fc.constant(index), fc.constantFrom(...pathsOf(baseline[index]).filter((p) => p[0] !== 'type')), wrongValue),
    );
    fc.assert(
      fc.property(edit, ([index, path, value]) => {
        const records = baseline.map((r, i) => (i === index ? withValueAt(r, path, value) : r));
        const outcome = reportOf(linesOf(records));
        if ('error' in outcome) {
          if (!outcome.error.message.startsWith(`run.ndjson, line ${index + 1}: `)) expect(outcome.error.message).toMatch(new RegExp(`^run\\.ndjson, line ${index + 1}: `));
        } else if (!outcome.html.endsWith('</html>\n')) {
          expect(outcome.html.slice(-20)).toBe('</html>\n');
        }
      }),
      { numRuns: 10_000 },
    );
  });

  it('reads gc records with and without the fields recorded since (kind, v8Used, inUse, durationMs, forced), and refuses a wrong kind', () => {
    fc.assert(
      fc.property(gcRecord, (record) => {
        expect(checkRecord(JSON.parse(JSON.stringify(record)))).toEqual(JSON.parse(JSON.stringify(record)));
      }),
      { numRuns: 1000 },
    );
    expect(checkRecord({ type: 'gc', pid: 1, time: 5 })).toEqual({ type: 'gc', pid: 1, time: 5 });
    expect(() => checkRecord({ type: 'gc', pid: 1, time: 5, kind: 'full' })).toThrow(new RecordError('kind must be "major", "minor", "incremental" or "weakcb"'));
    expect(() => checkRecord({ type: 'gc', pid: 1, time: 5, v8Used: '1' })).toThrow(new RecordError('v8Used must be a finite number or null'));
    expect(() => checkRecord({ type: 'gc', pid: 1, time: 5, durationMs: null })).toThrow(RecordError);
    expect(() => checkRecord({ type: 'gc', pid: 1, time: 5, forced: false })).toThrow(new RecordError('forced must be true'));
  });
});

describe('mallinfo report of the hostile files of issue 12 #5', () => {
  const dir = scratchDir();
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const [run, proc] = baseline as Record<string, any>[];
  const trim = baseline.find((r) => (r as Record<string, Json>).type === 'trim') as Record<string, any>;
  const settings = proc.allocator.settings;
  it.each([
    ['error: {}', 2, { ...proc, error: {} }, 'error must be a string or null'],
    ['warning: 5', 2, { ...proc, warning: 5 }, 'warning must be a string or null'],
    ['cwd: 5', 1, { ...run, cwd: 5 }, 'cwd must be a string'],
    ['mallinfoVersion: 5', 1, { ...run, mallinfoVersion: 5 }, 'mallinfoVersion must be a string'],
    ['glibcVersion: 7', 2, { ...proc, allocator: { ...proc.allocator, glibcVersion: 7 } }, 'allocator.glibcVersion must be a string or null'],
    ['settings: {}', 2, { ...proc, allocator: { ...proc.allocator, settings: {} } }, 'allocator.settings.arenaMax is missing'],
    ['settings.ignored: 5', 2, { ...proc, allocator: { ...proc.allocator, settings: { ...settings, ignored: 5 } } }, 'allocator.settings.ignored must be an array of strings'],
    ['a trim with time: 1e20', 'trim', { ...trim, time: 1e20 }, 'time must be a time in ms since the epoch (within ±8.64e15)'],
    ['startedAt: 1e300', 1, { ...run, startedAt: 1e300 }, 'startedAt must be a time in ms since the epoch (within ±8.64e15)'],
  ] as const)('%s: exit 1 naming the line, not an internal error', async (name, where, bad, message) => {
    const index = where === 'trim' ? baseline.indexOf(trim) : where - 1;
    const file = join(dir, `${name.replace(/\W+/g, '-')}.ndjson`);
    writeFileSync(file, linesOf(baseline.map((r, i) => (i === index ? bad : r))).join('\n') + '\n');
    const result = await runCli(['report', file]);
    expect(result.stderr).toBe(`mallinfo: ${file}, line ${index + 1}: ${message}\n`);
    expect(result.code).toBe(1);
    expect(reportOf(linesOf(baseline))).not.toHaveProperty('error');
  });
});
