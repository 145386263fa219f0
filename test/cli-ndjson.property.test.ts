// The NDJSON reading of `mallinfo run`'s records (the file read back by
// `mallinfo report`, the lines on the channel) under property tests, 10,000
// cases each: the same records however the bytes are cut into chunks, a
// line held back until its newline, a cut-off last line skipped and said,
// a bad line an error naming the right line.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { allocator, sample } from 'mallinfo';
import { afterAll, describe, expect, it } from 'vitest';
import { LineSplitter } from '../src/cli/lines';
import { FileError, formatRecord, NdjsonReader, readRunFile } from '../src/cli/ndjson';
import { parseRecord, RecordError, type RunEvent } from '../src/cli/records';
import { runCli, scratchDir } from './cli-helpers';
import { int, knownRecord, number, text } from './record-arbitraries';

const RUNS = { numRuns: 10_000 };
const NAME = 'run.ndjson';

/** A record of a type from a newer version: skipped. */
const futureRecord = fc.record({
  type: text.filter((t) => !['run', 'process', 'sample', 'trim', 'gc', 'exit', 'end'].includes(t)),
  payload: fc.jsonValue({ maxDepth: 2 }),
});

/** Cuts bytes at arbitrary points, or into single bytes. */
const cutting = fc.oneof({ weight: 9, arbitrary: fc.array(fc.nat(), { maxLength: 12 }) }, { weight: 1, arbitrary: fc.constant('bytes' as const) });
function chunksOf(bytes: Buffer, cuts: number[] | 'bytes'): Buffer[] {
  if (cuts === 'bytes') return [...bytes].map((b) => Buffer.of(b));
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  return [0, ...at].map((start, i) => bytes.subarray(start, i < at.length ? at[i] : bytes.length));
}

/** Reads `chunks` to their end; the records, and the reader for its counts. */
function readAll(chunks: Buffer[]): { records: RunEvent[]; reader: NdjsonReader } {
  const reader = new NdjsonReader(NAME);
  const records = chunks.flatMap((c) => reader.push(c));
  records.push(...reader.end());
  return { records, reader };
}

/** What a record is once through JSON (-0 becomes 0): what reading it back must give. */
const throughJson = (r: unknown): unknown => JSON.parse(JSON.stringify(r));

/** A record's line with JSON whitespace (space, tab, CR) between its tokens, as another writer might lay it out. */
function spaced(record: unknown, gaps: string[]): string {
  let i = 0;
  return JSON.stringify(record, null, 1).replace(/\n */g, () => gaps[i++ % gaps.length]);
}

/** expect(got).toEqual(want), called only when they differ: vitest's expect costs more than a case. */
function same(got: unknown, want: unknown, label?: string): void {
  if (!isDeepStrictEqual(got, want)) expect(got, label).toEqual(want);
}

function errorOf(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('LineSplitter: property tests', () => {
  it('gives the lines of any text however its UTF-8 bytes are cut, holding back each line until its "\\n" (10,000 cases)', () => {
    fc.assert(
      fc.property(fc.array(text, { maxLength: 6 }).map((parts) => parts.join('\n')), cutting, (input, cuts) => {
        const bytes = Buffer.from(input, 'utf8');
        const decoded = bytes.toString('utf8'); // lone surrogates are U+FFFD once in UTF-8
        const newlinesBefore = [0];
        for (const b of bytes) newlinesBefore.push(newlinesBefore.at(-1)! + (b === 0x0a ? 1 : 0));
        const splitter = new LineSplitter();
        const lines: string[] = [];
        let seen = 0;
        for (const chunk of chunksOf(bytes, cuts)) {
          lines.push(...splitter.push(chunk));
          seen += chunk.length;
          // Held back: exactly the lines whose "\n" has come so far.
          if (lines.length !== newlinesBefore[seen]) expect(lines.length).toBe(newlinesBefore[seen]);
        }
        const rest = splitter.end();
        const want = decoded.split('\n');
        const last = want.pop()!;
        same(lines, want);
        same(rest, last === '' ? undefined : last);
      }),
      RUNS,
    );
  });
});

describe('NdjsonReader: property tests', () => {
  it('reads back every record, however laid out and however cut into chunks: the same as whole (10,000 cases)', () => {
    const line = fc.oneof(
      { weight: 6, arbitrary: knownRecord.map((r) => ({ record: r as unknown, known: true })) },
      { weight: 1, arbitrary: futureRecord.map((r) => ({ record: r as unknown, known: false })) },
      { weight: 1, arbitrary: fc.constantFrom('', ' ', '\t', '\r').map((blank) => ({ record: blank, known: false })) },
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(line, fc.constantFrom('\n', '\r\n'), fc.option(fc.array(fc.constantFrom('', ' ', '\t', '\r', ' \r\t'), { minLength: 1, maxLength: 4 }), { nil: undefined })), { maxLength: 4 }),
        cutting,
        (lines, cuts) => {
          const body = lines
            .map(([{ record }, eol, gaps]) => (typeof record === 'string' ? record : gaps ? spaced(record, gaps) : formatRecord(record as RunEvent).slice(0, -1)) + eol)
            .join('');
          const bytes = Buffer.from(body, 'utf8');
          const want = lines.filter(([l]) => l.known).map(([l]) => throughJson(l.record));
          const whole = readAll([bytes]);
          const chunked = readAll(chunksOf(bytes, cuts));
          same(whole.records, want);
          same(chunked.records, want);
          same(chunked.reader.lines, lines.length);
          same(chunked.reader.cutOff, false);
        },
      ),
      RUNS,
    );
  });

  it('holds back a line until its newline; at the end, a cut-off line is skipped and said, a whole one read (10,000 cases)', () => {
    fc.assert(
      fc.property(fc.array(knownRecord, { minLength: 1, maxLength: 4 }), fc.nat(), cutting, (records, cut, cuts) => {
        const lines = records.map(formatRecord);
        const bytes = Buffer.from(lines.join(''), 'utf8');
        const end = cut % (bytes.length + 1);
        const reader = new NdjsonReader(NAME);
        const got: RunEvent[] = [];
        const lineEnds: number[] = [];
        for (const l of lines) lineEnds.push((lineEnds.at(-1) ?? 0) + Buffer.byteLength(l));
        let seen = 0;
        let complete = 0;
        for (const chunk of chunksOf(bytes.subarray(0, end), cuts)) {
          got.push(...reader.push(chunk));
          seen += chunk.length;
          // Only records whose newline has come.
          while (complete < lines.length && lineEnds[complete] <= seen) complete++;
          same(got.length, complete);
        }
        const whole = got.length;
        const partial = bytes.subarray(0, end).toString('utf8').slice(lines.slice(0, whole).join('').length);
        got.push(...reader.end());
        // The last line, without its newline: read when the whole JSON is there, else skipped as cut off.
        const lastIsWhole = partial.length === lines[whole]?.length - 1;
        same(got.length, whole + (lastIsWhole ? 1 : 0));
        same(reader.cutOff, partial !== '' && !lastIsWhole);
        same(got, records.slice(0, got.length).map(throughJson));
      }),
      RUNS,
    );
  });

  it('stops at a bad line with a FileError naming the file, the line and what is wrong; a cut-off last line is not one (10,000 cases)', () => {
    const broken = knownRecord.chain((r) => {
      const json = throughJson(r) as Record<string, any>;
      const fields = ['pid', 'time', 'sample', 'command', 'argv', 'allocatorEnv', 'format', 'exitCode', 'type'].filter((f) => f in json);
      return fc.tuple(fc.constantFrom(...fields), fc.constantFrom<unknown>('x', null, [], {}, 1.5, true)).map(([field, value]) => JSON.stringify({ ...json, [field]: value }));
    });
    const notAnObject = fc.oneof(fc.constant(null), number, text, fc.boolean(), fc.array(int, { maxLength: 3 })).map((v) => JSON.stringify(v));
    // Each bad line as the reader sees it (through UTF-8: a lone surrogate is U+FFFD), with what parseRecord says of it.
    const bad = fc
      .oneof(broken, notAnObject, text.filter((t) => t.trim() !== ''))
      .map((l) => Buffer.from(l).toString())
      .filter((line) => !line.includes('\n'))
      .map((line) => ({ line, reason: errorOf(() => parseRecord(line)) }))
      .filter((b): b is { line: string; reason: RecordError } => b.reason instanceof RecordError);
    fc.assert(
      fc.property(fc.array(knownRecord, { maxLength: 3 }), bad, fc.array(knownRecord, { maxLength: 2 }), fc.boolean(), fc.boolean(), cutting, (before, { line: badLine, reason }, after, blankLine, lastUnterminated, cuts) => {
        const lines = [...before.map((r) => formatRecord(r).slice(0, -1)), ...(blankLine ? [''] : []), badLine, ...after.map((r) => formatRecord(r).slice(0, -1))];
        const badAt = lines.indexOf(badLine, before.length) + 1;
        let body = lines.join('\n');
        if (!(lastUnterminated && after.length === 0)) body += '\n';
        const reader = new NdjsonReader(NAME);
        const got: RunEvent[] = [];
        const error = errorOf(() => {
          for (const chunk of chunksOf(Buffer.from(body, 'utf8'), cuts)) got.push(...reader.push(chunk));
          got.push(...reader.end());
        });
        const cutOff = lastUnterminated && after.length === 0 && errorOf(() => JSON.parse(badLine)) !== undefined;
        if (cutOff) {
          same(error, undefined);
          same(reader.cutOff, true);
          same(got, before.map(throughJson));
          return;
        }
        if (!(error instanceof FileError)) expect(error).toBeInstanceOf(FileError);
        same((error as FileError).message, `${NAME}, line ${badAt}: ${reason.message}`);
        // What came before was read, and nothing after.
        same(got, before.slice(0, got.length).map(throughJson));
      }),
      RUNS,
    );
  });
});

describe('NDJSON files: regressions', () => {
  const dir = scratchDir();
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const pid = 4242;
  const lines = [
    formatRecord({ type: 'run', format: 'mallinfo-run', version: 1, command: ['node', 'app.js'], cwd: '/', startedAt: 1, intervalMs: 10, autoTrim: false, mallinfoVersion: '0', allocatorEnv: {} }),
    formatRecord({ type: 'process', pid, ppid: 1, argv: ['node', 'app.js'], node: process.version, time: 1, allocator: allocator(), allocatorEnv: {}, error: null, warning: null }),
    ...[1, 2, 3].map(() => formatRecord({ type: 'sample', pid, sample: sample() })),
    formatRecord({ type: 'end', time: 2, exitCode: 0, signal: null }),
  ];

  it('a lone "\\r" between the tokens of a record is JSON whitespace, not a line end (node:readline split such a record in two)', async () => {
    const file = join(dir, 'cr.ndjson');
    writeFileSync(file, [...lines.slice(0, 3), lines[3].replace(',', ',\r'), ...lines.slice(4)].join(''));
    const { data, cutOff } = await readRunFile(file);
    expect(data.processes.get(pid)?.count).toBe(3);
    expect(cutOff).toBe(false);
  });

  it('a last line cut off mid-write is skipped and said, not a failure of the whole file; mallinfo report notes it', async () => {
    const file = join(dir, 'cut.ndjson');
    writeFileSync(file, lines.slice(0, -1).join('') + lines.at(-2)!.slice(0, 40));
    const { data, cutOff } = await readRunFile(file);
    expect(data.processes.get(pid)?.count).toBe(3);
    expect(cutOff).toBe(true);
    const result = await runCli(['report', file]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('\n  ignored the last line of the file: cut off while it was written\n');
    // With --json, stdout stays one JSON line and the warning goes to stderr.
    const json = await runCli(['report', file, '--json']);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout.toString())).toHaveProperty('diagnosis');
    expect(json.stderr).toBe('mallinfo: ignored the last line of the file: cut off while it was written\n');
    // A bad line with its newline is still an error naming it.
    writeFileSync(file, lines.slice(0, -1).join('') + lines.at(-2)!.slice(0, 40) + '\n');
    await expect(readRunFile(file)).rejects.toThrow(`${file}, line 6: not valid JSON (`);
  });
});
