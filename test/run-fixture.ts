// A small but real run, as records (real samples of this process): the
// baseline that the schema and hostile-report property tests edit.
import { allocator, sample } from 'mallinfo';
import { FileError, formatRecord, NdjsonReader } from '../src/cli/ndjson';
import type { RunEvent } from '../src/cli/records';
import { RunData } from '../src/cli/store';
import { summarize } from '../src/cli/summary';
import { renderHtml } from '../src/cli/html';

/** Every record type, with every optional field present, in the order a run writes them. */
export function baselineRecords(): RunEvent[] {
  const pid = 4242;
  const start = sample();
  const samples: RunEvent[] = Array.from({ length: 16 }, (_, i) => {
    const s = sample();
    return { type: 'sample', pid, sample: { ...s, time: start.time + i * 100 } };
  });
  const info = allocator();
  return [
    { type: 'run', format: 'mallinfo-run', version: 1, command: ['node', 'app.js', '--flag'], cwd: '/srv/app', startedAt: start.time - 50, intervalMs: 100, autoTrim: true, mallinfoVersion: '0.1.0', allocatorEnv: { MALLOC_ARENA_MAX: '2' } },
    { type: 'process', pid, ppid: 1, argv: ['/usr/bin/node', 'app.js'], node: process.version, time: start.time - 20, allocator: info, allocatorEnv: { MALLOC_ARENA_MAX: '2' }, error: null, warning: 'no trim here' },
    { type: 'process', pid: pid + 1, ppid: pid, argv: ['/usr/bin/node', 'worker.js'], node: process.version, time: start.time, allocator: null, allocatorEnv: {}, error: 'the addon did not load', warning: null },
    ...samples.slice(0, 8),
    { type: 'gc', pid, time: start.time + 750, kind: 'major', v8Used: 4_000_000, inUse: 3_000_000, durationMs: 1.5 },
    { type: 'trim', pid, time: start.time + 760, rssBefore: 60e6, rssAfter: 50e6, released: 10e6, durationMs: 12.5, freeBefore: 20e6, residentFreeEstimate: 8e6 },
    ...samples.slice(8),
    { type: 'gc', pid, time: start.time + 1550 },
    { type: 'exit', pid: pid + 1, time: start.time + 1580 },
    { type: 'exit', pid, time: start.time + 1600 },
    { type: 'end', time: start.time + 1610, exitCode: 0, signal: null },
  ];
}

/** What `mallinfo report` makes of these lines: the HTML, or the FileError naming the bad line. Anything else thrown is a bug. */
export function reportOf(lines: string[]): { html: string } | { error: FileError } {
  const reader = new NdjsonReader('run.ndjson');
  const data = new RunData();
  try {
    for (const record of reader.push(Buffer.from(lines.map((l) => `${l}\n`).join('')))) data.add(record);
  } catch (error) {
    if (error instanceof FileError) return { error };
    throw error;
  }
  return { html: renderHtml(data, summarize(data)) };
}

/** The records as NDJSON lines. */
export const linesOf = (records: readonly unknown[]): string[] => records.map((r) => formatRecord(r as RunEvent).slice(0, -1));
