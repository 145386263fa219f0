/**
 * The records of a run, as they travel from the watched processes to the
 * CLI and as they are kept in the NDJSON file: one JSON object a line, each
 * with a `type`. Parsing checks every field against one schema
 * (./record-schema), so a damaged or forged record fails with the line
 * that is wrong instead of a wrong report, a crash, or markup in it.
 * @packageDocumentation
 */
import type { AllocatorInfo } from '../core/allocator';
import type { AutoTrimEvent } from '../sampler/auto-trim';
import type { CollectionKind } from '../diagnose/collections';
import type { MemorySample } from '../core/types';
import { checkAgainstSchema } from './record-schema';

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
 * A garbage collection ended in a process. Only after a full (mark-compact)
 * one does V8's used heap hold live objects alone: diagnose() reads V8's
 * floor there. Files from before `kind` was recorded have full collections
 * only, and no `kind`.
 */
export interface GcRecord {
  type: 'gc';
  pid: number;
  /** When it ended, ms since the epoch. */
  time: number;
  /** Which collection: major (mark-compact), minor (scavenge), incremental marking, weak callbacks. */
  kind?: CollectionKind;
  /** V8's used heap right after it, bytes; null when it could not be read. */
  v8Used?: number | null;
  /** The allocator's in-use bytes right after it; null where the allocator gives none. */
  inUse?: number | null;
  /** V8's external memory right after a forced collection, bytes (Buffers, ArrayBuffers, whichever allocator holds them). */
  v8External?: number | null;
  /** How long it took, ms. */
  durationMs?: number | null;
  /** True for a full collection the sampler ran itself (`--collect-every`): `v8Used` and `inUse` are live memory. */
  forced?: true;
  /** With `forced`: how many worker threads collected too, before the reading (absent where none answers). */
  workers?: number;
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


/**
 * Checks one decoded record against the one schema of every record
 * ({@link RECORD}, ./record-schema). Returns it typed, or null for a record
 * of a type this version does not know (newer files stay readable).
 * @throws RecordError naming the field that is wrong and what it must be.
 */
export function checkRecord(value: unknown): RunEvent | null {
  const checked = checkAgainstSchema(value);
  if (checked.ok) return checked.record as RunEvent | null;
  throw new RecordError(checked.message);
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
