// fast-check arbitraries for the records of a run (src/cli/records.ts),
// valid by the record schema, every field drawn: shared by the NDJSON, the
// schema and the hostile-report property tests.
import fc from 'fast-check';
import type { RunEvent } from '../src/cli/records';

/** Text with what is hard for a line reader: newlines, CR, U+2028, quotes, NUL, lone surrogates, astral characters. */
export const text = fc.string({
  unit: fc.oneof(
    { weight: 6, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
    { weight: 1, arbitrary: fc.constantFrom('\n', '\r', '\r\n', '\u2028', '\u2029', '"', '\\', '\u0000', '\ud800', '\udfff', '😀', 'é') },
  ),
  maxLength: 10,
});
export const number = fc.double({ noNaN: true, noDefaultInfinity: true });
export const nonNegative = fc.double({ min: 0, noNaN: true, noDefaultInfinity: true });
export const int = fc.integer();
export const pid = fc.nat();
/** A time a Date can hold, ms since the epoch. */
export const epochMs = fc.double({ min: -8.64e15, max: 8.64e15, noNaN: true });
export const env = fc.dictionary(text, text, { maxKeys: 3 });
const nullable = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });
const numbers = (names: readonly string[]) => fc.record(Object.fromEntries(names.map((n) => [n, number])));

const setting = fc.record({ value: number, source: fc.constantFrom('tunable', 'env', 'default'), setBy: nullable(text) });
const mallocSettings = fc.record({
  arenaMax: setting,
  mmapThreshold: setting,
  trimThreshold: setting,
  topPad: setting,
  mmapMax: setting,
  dynamicMmapThreshold: fc.boolean(),
  cpuCount: nonNegative,
  ignored: fc.array(text, { maxLength: 2 }),
});
const allocatorInfo = fc.record({
  kind: fc.constantFrom('glibc', 'jemalloc', 'tcmalloc', 'musl', 'unknown'),
  version: nullable(text),
  glibcVersion: nullable(text),
  heapStats: fc.boolean(),
  mallinfo2: fc.boolean(),
  trim: fc.boolean(),
  settings: nullable(mallocSettings),
});
const heap = fc.oneof(
  fc.record({
    allocator: fc.constant('glibc'),
    inUse: number,
    free: number,
    mapped: number,
    mmapped: number,
    exact: fc.boolean(),
    mallinfo: numbers(['arena', 'ordblks', 'smblks', 'hblks', 'hblkhd', 'usmblks', 'fsmblks', 'uordblks', 'fordblks', 'keepcost']),
  }),
  fc.record({
    allocator: fc.constant('jemalloc'),
    inUse: number,
    free: number,
    mapped: number,
    mmapped: fc.constant(null),
    exact: fc.constant(true),
    jemalloc: numbers(['allocated', 'active', 'resident', 'mapped', 'retained', 'metadata', 'dirty', 'muzzy']),
  }),
  fc.record({
    allocator: fc.constant('tcmalloc'),
    inUse: number,
    free: number,
    mapped: number,
    mmapped: fc.constant(null),
    exact: fc.constant(true),
    tcmalloc: numbers(['currentAllocated', 'heapSize', 'pageheapFree', 'pageheapUnmapped', 'centralCacheFree', 'transferCacheFree', 'threadCacheFree']),
  }),
  // Files from before heap.allocator was recorded.
  fc.record({ inUse: number, free: number, mapped: number, mmapped: number, exact: fc.boolean() }),
);

export const runRecord = fc.record({
  type: fc.constant('run'),
  format: fc.constant('mallinfo-run'),
  version: int,
  command: fc.array(text, { maxLength: 4 }),
  cwd: text,
  startedAt: epochMs,
  intervalMs: nonNegative,
  autoTrim: fc.boolean(),
  mallinfoVersion: text,
  allocatorEnv: env,
});
export const processRecord = fc.record({
  type: fc.constant('process'),
  pid,
  ppid: pid,
  argv: fc.array(text, { maxLength: 4 }),
  node: text,
  time: epochMs,
  allocator: nullable(allocatorInfo),
  allocatorEnv: env,
  error: nullable(text),
  warning: nullable(text),
});
export const sampleRecord = fc.record({
  type: fc.constant('sample'),
  pid,
  sample: fc.record({
    time: epochMs,
    costNs: number,
    heap: nullable(heap),
    process: nullable(numbers(['virtual', 'resident', 'shared', 'text', 'data'])),
    v8: numbers(['total', 'used', 'physical', 'external', 'malloced', 'limit']),
  }),
});
export const trimRecord = fc.record({
  type: fc.constant('trim'),
  pid,
  time: epochMs,
  rssBefore: nullable(number),
  rssAfter: nullable(number),
  released: nullable(number),
  durationMs: nonNegative,
  freeBefore: number,
  residentFreeEstimate: nullable(number),
});
/** A gc record, with or without the fields recorded since (old files have none of them). */
export const gcRecord = fc.record(
  {
    type: fc.constant('gc'),
    pid,
    time: epochMs,
    kind: fc.constantFrom('major', 'minor', 'incremental', 'weakcb'),
    v8Used: nullable(number),
    inUse: nullable(number),
    durationMs: nonNegative,
    forced: fc.constant(true),
  },
  { requiredKeys: ['type', 'pid', 'time'] },
);
export const exitRecord = fc.record({ type: fc.constant('exit'), pid, time: epochMs });
export const endRecord = fc.record({ type: fc.constant('end'), time: epochMs, exitCode: nullable(int), signal: nullable(text) });

/** Any valid record, samples twice as often. */
export const knownRecord = fc.oneof(runRecord, processRecord, sampleRecord, sampleRecord, trimRecord, gcRecord, exitRecord, endRecord) as fc.Arbitrary<RunEvent>;
