/**
 * The one schema of the records of a run (valibot): every field of every
 * record type, with its type and range, checked before anything reads it.
 * A record from the channel (a watched program may send anything) and a
 * line of an NDJSON file (which anyone may edit) go through here alike.
 * @packageDocumentation
 */
import * as v from 'valibot';

// The words after "must be" in an error: each check says what it expects.
const NUMBER = 'a finite number';
const finite = v.pipe(v.number(NUMBER), v.finite(NUMBER));
const nonNegative = v.pipe(v.number(NUMBER), v.finite(NUMBER), v.minValue(0, 'a number from 0'));
const integer = v.pipe(v.number('an integer'), v.integer('an integer'));
const processId = v.pipe(v.number('an integer from 0'), v.integer('an integer from 0'), v.minValue(0, 'an integer from 0'));
/** A count: the same check as a process id. */
const count = processId;
/** A time in ms since the epoch that a Date can hold (±8.64e15): one outside throws in toISOString(). */
const EPOCH = 'a time in ms since the epoch (within ±8.64e15)';
const epochMs = v.pipe(v.number(EPOCH), v.minValue(-8.64e15, EPOCH), v.maxValue(8.64e15, EPOCH));
const text = v.string('a string');
const textOrNull = v.nullable(v.string('a string or null'));
const bool = v.boolean('a boolean');
const strings = v.array(text, 'an array of strings');
const stringMap = v.record(v.string(), v.string('a string'), 'an object of strings');
const numberOrNull = v.nullable(v.pipe(v.number(`${NUMBER} or null`), v.finite(`${NUMBER} or null`)));
/** An object whose listed fields are all byte counts (raw allocator sections). */
const numbers = <K extends string, M extends string = 'an object'>(names: readonly K[], message?: M) =>
  v.looseObject(Object.fromEntries(names.map((n) => [n, finite])) as Record<K, typeof finite>, (message ?? 'an object') as M);

const setting = v.looseObject(
  { value: finite, source: v.picklist(['tunable', 'env', 'default'], '"tunable", "env" or "default"'), setBy: textOrNull },
  'an object',
);
const mallocSettingsEntries = {
  arenaMax: setting,
  mmapThreshold: setting,
  trimThreshold: setting,
  topPad: setting,
  mmapMax: setting,
  dynamicMmapThreshold: bool,
  cpuCount: nonNegative,
  ignored: strings,
};
const allocatorInfo = v.looseObject(
  {
    kind: v.picklist(['glibc', 'jemalloc', 'tcmalloc', 'musl', 'unknown'], 'an allocator kind (glibc, jemalloc, tcmalloc, musl, unknown)'),
    version: textOrNull,
    glibcVersion: textOrNull,
    heapStats: v.optional(bool),
    mallinfo2: v.optional(bool),
    trim: v.optional(bool),
    settings: v.optional(v.nullable(v.looseObject(mallocSettingsEntries, 'an object or null')), null),
  },
  'an object or null',
);

const heap = v.looseObject(
  {
    allocator: v.optional(v.picklist(['glibc', 'jemalloc', 'tcmalloc'], '"glibc", "jemalloc" or "tcmalloc"')),
    inUse: finite,
    free: finite,
    mapped: finite,
    // null under jemalloc and tcmalloc, which have no separately mmapped chunks.
    mmapped: numberOrNull,
    exact: bool,
    mallinfo: v.optional(numbers(['arena', 'ordblks', 'smblks', 'hblks', 'hblkhd', 'usmblks', 'fsmblks', 'uordblks', 'fordblks', 'keepcost'])),
    jemalloc: v.optional(numbers(['allocated', 'active', 'resident', 'mapped', 'retained', 'metadata', 'dirty', 'muzzy'])),
    tcmalloc: v.optional(
      numbers(['currentAllocated', 'heapSize', 'pageheapFree', 'pageheapUnmapped', 'centralCacheFree', 'transferCacheFree', 'threadCacheFree']),
    ),
  },
  'an object or null',
);
const memorySample = v.looseObject(
  {
    time: epochMs,
    costNs: finite,
    heap: v.nullable(heap),
    process: v.nullable(numbers(['virtual', 'resident', 'shared', 'text', 'data'], 'an object or null')),
    v8: numbers(['total', 'used', 'physical', 'external', 'malloced', 'limit']),
  },
  'an object',
);

/** The first record's `format`. */
const RUN_FORMAT = 'mallinfo-run';

/** Every record of a run, by its `type`. */
export const RECORD = v.variant(
  'type',
  [
    v.looseObject({
      type: v.literal('run'),
      format: v.literal(RUN_FORMAT, `"${RUN_FORMAT}"`),
      version: integer,
      command: strings,
      cwd: text,
      startedAt: epochMs,
      intervalMs: nonNegative,
      autoTrim: bool,
      mallinfoVersion: text,
      allocatorEnv: stringMap,
    }),
    v.looseObject({
      type: v.literal('process'),
      pid: processId,
      ppid: processId,
      argv: strings,
      node: text,
      time: epochMs,
      allocator: v.nullable(allocatorInfo),
      allocatorEnv: stringMap,
      error: v.optional(textOrNull, null),
      warning: v.optional(textOrNull, null),
    }),
    v.looseObject({ type: v.literal('sample'), pid: processId, sample: memorySample }),
    v.looseObject({
      type: v.literal('trim'),
      pid: processId,
      time: epochMs,
      // null when /proc/self/statm could not be read around the trim.
      rssBefore: numberOrNull,
      rssAfter: numberOrNull,
      released: numberOrNull,
      durationMs: nonNegative,
      freeBefore: v.optional(finite),
      residentFreeEstimate: v.optional(numberOrNull),
    }),
    v.looseObject({
      type: v.literal('gc'),
      pid: processId,
      time: epochMs,
      kind: v.optional(v.picklist(['major', 'minor', 'incremental', 'weakcb'], '"major", "minor", "incremental" or "weakcb"')),
      v8Used: v.optional(numberOrNull),
      inUse: v.optional(numberOrNull),
      v8External: v.optional(numberOrNull),
      durationMs: v.optional(nonNegative),
      forced: v.optional(v.literal(true, 'true')),
      workers: v.optional(count),
    }),
    v.looseObject({ type: v.literal('exit'), pid: processId, time: epochMs }),
    v.looseObject({ type: v.literal('end'), time: epochMs, exitCode: v.nullable(v.pipe(v.number('an integer or null'), v.integer('an integer or null'))), signal: textOrNull }),
  ],
  'a known record type',
);

/** The record types this version reads; a record of another type is skipped (newer files stay readable). */
const KNOWN_TYPES = new Set(RECORD.options.map((o) => o.entries.type.literal as string));

/** A checked record (null: a type this version does not know), or what is wrong. */
export type SchemaCheck = { ok: true; record: v.InferOutput<typeof RECORD> | null } | { ok: false; message: string };

/**
 * Checks `value` against {@link RECORD}; the message names the first wrong
 * field: `sample.v8.used must be a finite number`, `sample.v8 is missing`.
 */
export function checkAgainstSchema(value: unknown): SchemaCheck {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { ok: false, message: 'a record must be a JSON object' };
  const type = (value as { type?: unknown }).type;
  if (typeof type !== 'string') return { ok: false, message: 'type must be a string' };
  if (!KNOWN_TYPES.has(type)) return { ok: true, record: null };
  const result = v.safeParse(RECORD, value, { abortEarly: true });
  // The record as it came (valibot's output drops "__proto__" keys, which JSON.parse makes own, harmless keys).
  if (result.success) return { ok: true, record: value as v.InferOutput<typeof RECORD> };
  const issue = result.issues[0];
  const path = (issue.path ?? []).map((item) => String(item.key)).join('.');
  if (path === '') return { ok: false, message: `a record must be ${issue.message}` };
  // A missing field's issue carries its object's message, not its own: say what happened instead.
  const missing = issue.input === undefined && !Object.hasOwn(parentOf(value, issue.path ?? []), String(issue.path?.at(-1)?.key));
  return { ok: false, message: missing ? `${path} is missing` : `${path} must be ${issue.message}` };
}

/** The object holding the last key of `path`, in `root`. */
function parentOf(root: object, path: readonly { key: unknown }[]): object {
  let node: unknown = root;
  for (const item of path.slice(0, -1)) node = (node as Record<string, unknown>)[String(item.key)];
  return node !== null && typeof node === 'object' ? node : {};
}
