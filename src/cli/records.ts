/**
 * The records of a run, as they travel from the watched processes to the
 * CLI and as they are kept in the NDJSON file: one JSON object a line, each
 * with a `type`. Parsing checks every field the CLI reads, so a damaged
 * file fails with the line that is wrong instead of a wrong report.
 * @packageDocumentation
 */
import type { AllocatorInfo } from '../allocator';
import type { AutoTrimEvent } from '../auto-trim';
import type { MemorySample } from '../types';

/** What the NDJSON file says it is (the first record). */
export const RUN_FORMAT = 'mallinfo-run';
export const RUN_FORMAT_VERSION = 1;

/** The first record: what was run and how it was watched. Written by the CLI. */
export interface RunRecord {
  type: 'run';
  format: typeof RUN_FORMAT;
  version: number;
  /** The command and its arguments, as given after `--`. */
  command: string[];
  cwd: string;
  /** When the command was started, ms since the epoch. */
  startedAt: number;
  intervalMs: number;
  autoTrim: boolean;
  /** The version of mallinfo that watched the run. */
  mallinfoVersion: string;
  /** Allocator variables in the CLI's environment, which the command inherits. */
  allocatorEnv: Record<string, string>;
}

/** A Node process of the run that loaded the preload (sent once, when it connects). */
export interface ProcessRecord {
  type: 'process';
  pid: number;
  ppid: number;
  /** `process.argv`: the node binary, then the script and its arguments. */
  argv: string[];
  /** `process.version` of that process. */
  node: string;
  /** When the process connected, ms since the epoch. */
  time: number;
  /** `allocator()` in that process, or null when sampling could not start there (see `error`). */
  allocator: AllocatorInfo | null;
  /** Allocator variables in that process's environment. */
  allocatorEnv: Record<string, string>;
  /** Why this process sends no samples (the addon did not load, …), else null. */
  error: string | null;
  /** What it samples without (`--auto-trim` where malloc_trim is missing), else null. */
  warning: string | null;
}

/** One `sample()` of one process. */
export interface SampleRecord {
  type: 'sample';
  pid: number;
  sample: MemorySample;
}

/** One `malloc_trim` done in a process by `--auto-trim`: the Sampler's `trim` event (`AutoTrimEvent`). */
export interface TrimRecord extends AutoTrimEvent {
  type: 'trim';
  pid: number;
}

/**
 * A full (mark-compact) garbage collection ended in a process. Only after
 * one does V8's used heap hold live objects alone: diagnose() reads V8's
 * floor there.
 */
export interface GcRecord {
  type: 'gc';
  pid: number;
  /** When it ended, ms since the epoch. */
  time: number;
}

/** A process's channel closed: it exited (written by the CLI). */
export interface ExitRecord {
  type: 'exit';
  pid: number;
  time: number;
}

/** The last record: how the command ended (written by the CLI). */
export interface EndRecord {
  type: 'end';
  time: number;
  /** The command's exit code, or null when it was killed by a signal. */
  exitCode: number | null;
  /** The signal that killed the command (`SIGKILL`, …), or null. */
  signal: string | null;
}

export type RunEvent = RunRecord | ProcessRecord | SampleRecord | TrimRecord | GcRecord | ExitRecord | EndRecord;

/** A record that does not parse; `message` says what is wrong with it. */
export class RecordError extends Error {
  override readonly name = 'RecordError';
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function field<T>(record: Json, path: string, check: (v: unknown) => v is T, expected: string): T {
  const value = record[path.split('.').pop() as string];
  if (!check(value)) throw new RecordError(`${path} must be ${expected}`);
  return value;
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isInteger = (v: unknown): v is number => Number.isInteger(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const isBoolean = (v: unknown): v is boolean => typeof v === 'boolean';
const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString);
const isStringMap = (v: unknown): v is Record<string, string> => isObject(v) && Object.values(v).every(isString);
const isObjectOrNull = (v: unknown): v is Json | null => v === null || isObject(v);

function numbers(record: Json, path: string, names: readonly string[]): void {
  for (const name of names) field(record, path === '' ? name : `${path}.${name}`, isNumber, 'a number');
}

function checkSample(value: unknown): MemorySample {
  if (!isObject(value)) throw new RecordError('sample must be an object');
  numbers(value, 'sample', ['time', 'costNs']);
  const heap = field(value, 'sample.heap', isObjectOrNull, 'an object or null');
  if (heap !== null) {
    numbers(heap, 'sample.heap', ['inUse', 'free', 'mapped']);
    // null under jemalloc and tcmalloc, which have no separately mmapped chunks.
    if (heap.mmapped !== null) field(heap, 'sample.heap.mmapped', isNumber, 'a number or null');
    field(heap, 'sample.heap.exact', isBoolean, 'a boolean');
  }
  const proc = field(value, 'sample.process', isObjectOrNull, 'an object or null');
  if (proc !== null) numbers(proc, 'sample.process', ['virtual', 'resident', 'shared', 'text', 'data']);
  const v8 = field(value, 'sample.v8', isObject, 'an object');
  numbers(v8, 'sample.v8', ['total', 'used', 'physical', 'external', 'malloced', 'limit']);
  return value as unknown as MemorySample;
}

/**
 * Checks one decoded record. Returns it typed, or null for a record of a
 * type this version does not know (newer files stay readable).
 * @throws RecordError naming the field that is wrong.
 */
export function checkRecord(value: unknown): RunEvent | null {
  if (!isObject(value)) throw new RecordError('a record must be a JSON object');
  const type = field(value, 'type', isString, 'a string');
  switch (type) {
    case 'run':
      if (value.format !== RUN_FORMAT) throw new RecordError(`format must be "${RUN_FORMAT}"`);
      field(value, 'version', isInteger, 'an integer');
      field(value, 'command', isStrings, 'an array of strings');
      numbers(value, '', ['startedAt', 'intervalMs']);
      field(value, 'allocatorEnv', isStringMap, 'an object of strings');
      break;
    case 'process':
      field(value, 'pid', isInteger, 'an integer');
      field(value, 'argv', isStrings, 'an array of strings');
      field(value, 'node', isString, 'a string');
      field(value, 'time', isNumber, 'a number');
      field(value, 'allocator', isObjectOrNull, 'an object or null');
      field(value, 'allocatorEnv', isStringMap, 'an object of strings');
      break;
    case 'sample':
      field(value, 'pid', isInteger, 'an integer');
      checkSample(value.sample);
      break;
    case 'trim':
      field(value, 'pid', isInteger, 'an integer');
      numbers(value, '', ['time', 'rssBefore', 'rssAfter', 'released', 'durationMs']);
      break;
    case 'gc':
    case 'exit':
      field(value, 'pid', isInteger, 'an integer');
      field(value, 'time', isNumber, 'a number');
      break;
    case 'end':
      field(value, 'time', isNumber, 'a number');
      if (value.exitCode !== null) field(value, 'exitCode', isInteger, 'an integer or null');
      if (value.signal !== null) field(value, 'signal', isString, 'a string or null');
      break;
    default:
      return null;
  }
  return value as unknown as RunEvent;
}

/**
 * Decodes one line of NDJSON.
 * @throws RecordError when the line is not JSON or not a valid record.
 */
export function parseRecord(line: string): RunEvent | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw new RecordError(`not valid JSON (${(error as Error).message})`);
  }
  return checkRecord(value);
}
