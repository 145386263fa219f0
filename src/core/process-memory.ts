/**
 * `processMemory()`: the kernel's detailed view of this process's memory,
 * on demand: `/proc/self/status` and, when asked, `/proc/self/smaps_rollup`.
 * Too costly for the sampling hot path (`sample()` reads statm only).
 * @packageDocumentation
 */
import { readFileSync } from 'node:fs';
import { booleanOption, optionsObject } from './validate';

/** Options of {@link processMemory}. */
export interface ProcessMemoryOptions {
  /** Also read /proc/self/smaps_rollup (Pss, Swap, …): the kernel walks every mapping, milliseconds on a big process. Default false. */
  smapsRollup?: boolean;
}

/** From /proc/self/status; each field null when this kernel does not write it. Bytes. */
export interface ProcessStatus {
  /** `VmPeak`: the largest virtual size so far. */
  peakVirtual: number | null;
  /** `VmSize`: virtual size now. */
  virtual: number | null;
  /** `VmHWM`: the largest resident set size so far ("high water mark"). */
  peakResident: number | null;
  /** `VmRSS`: resident set size now (`RssAnon + RssFile + RssShmem`). */
  resident: number | null;
  /** `RssAnon`: resident anonymous memory: the heap, malloc's arenas, V8's heap, stacks. */
  residentAnon: number | null;
  /** `RssFile`: resident file-backed pages: the node binary, shared libraries, mapped files. */
  residentFile: number | null;
  /** `RssShmem`: resident shared memory (tmpfs, shared anonymous mappings). */
  residentShmem: number | null;
  /** `VmData`: size of the data, heap and private anonymous mappings. */
  data: number | null;
  /** `VmSwap`: anonymous memory swapped out. */
  swap: number | null;
}

/** From /proc/self/smaps_rollup (Linux >= 4.14): the sums over all mappings. Bytes; null when absent. */
export interface SmapsRollup {
  /** `Rss`. */
  resident: number | null;
  /** `Pss`: proportional set size: each shared page divided among the processes that map it. */
  proportional: number | null;
  /** `Pss_Anon`, `Pss_File`, `Pss_Shmem` (Linux >= 5.8). */
  proportionalAnon: number | null;
  proportionalFile: number | null;
  proportionalShmem: number | null;
  /** `Shared_Clean`, `Shared_Dirty`, `Private_Clean`, `Private_Dirty`. */
  sharedClean: number | null;
  sharedDirty: number | null;
  privateClean: number | null;
  privateDirty: number | null;
  /** `Anonymous`: anonymous pages, resident or not counted elsewhere. */
  anonymous: number | null;
  /** `LazyFree`: pages marked MADV_FREE, which the kernel may take back under pressure. */
  lazyFree: number | null;
  /** `AnonHugePages`: anonymous memory in transparent huge pages. */
  anonHugePages: number | null;
  /** `Swap`: swapped-out bytes. */
  swap: number | null;
  /** `SwapPss`: proportional share of swapped-out shared pages. */
  swapProportional: number | null;
  /** `Locked`: pages locked in memory (mlock). */
  locked: number | null;
}

/** What {@link processMemory} reports. */
export interface ProcessMemory extends ProcessStatus {
  /** The smaps_rollup sums when asked for and readable, else null. */
  smapsRollup: SmapsRollup | null;
}

const STATUS_FIELDS: Record<keyof ProcessStatus, string> = {
  peakVirtual: 'VmPeak',
  virtual: 'VmSize',
  peakResident: 'VmHWM',
  resident: 'VmRSS',
  residentAnon: 'RssAnon',
  residentFile: 'RssFile',
  residentShmem: 'RssShmem',
  data: 'VmData',
  swap: 'VmSwap',
};

const ROLLUP_FIELDS: Record<keyof SmapsRollup, string> = {
  resident: 'Rss',
  proportional: 'Pss',
  proportionalAnon: 'Pss_Anon',
  proportionalFile: 'Pss_File',
  proportionalShmem: 'Pss_Shmem',
  sharedClean: 'Shared_Clean',
  sharedDirty: 'Shared_Dirty',
  privateClean: 'Private_Clean',
  privateDirty: 'Private_Dirty',
  anonymous: 'Anonymous',
  lazyFree: 'LazyFree',
  anonHugePages: 'AnonHugePages',
  swap: 'Swap',
  swapProportional: 'SwapPss',
  locked: 'Locked',
};

/** The `Name:   123 kB` lines of a /proc file, in bytes. */
function kilobyteLines(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const match of text.matchAll(/^([A-Za-z_]+):\s+(\d+) kB$/gm)) values.set(match[1], Number(match[2]) * 1024);
  return values;
}

function pick<K extends string>(fields: Record<K, string>, values: Map<string, number>): Record<K, number | null> {
  const out = {} as Record<K, number | null>;
  for (const key of Object.keys(fields) as K[]) out[key] = values.get(fields[key]) ?? null;
  return out;
}

function readOrNull(path: string): string | null {
  try {
    return readFileSync(path, 'latin1');
  } catch {
    return null;
  }
}

/**
 * Reads the kernel's memory accounting of this process: peak and current
 * RSS split into anonymous, file and shared memory, swap, and with
 * `{ smapsRollup: true }` the proportional set size. Each call reads the
 * files afresh: /proc/self/status costs microseconds, smaps_rollup makes
 * the kernel walk every mapping (milliseconds on a big process) — call it on
 * demand, not on a sampling interval. Fields the kernel does not write are
 * null; if /proc/self/status cannot be read at all, every field is null.
 *
 * @example
 * ```ts
 * const m = processMemory({ smapsRollup: true });
 * console.log(m.peakResident, m.residentAnon, m.smapsRollup?.proportional);
 * ```
 */
export function processMemory(options?: ProcessMemoryOptions): ProcessMemory {
  const opts = optionsObject('options', options, ['smapsRollup']);
  const withRollup = booleanOption('options.smapsRollup', opts.smapsRollup, false);
  const status = pick(STATUS_FIELDS, kilobyteLines(readOrNull('/proc/self/status') ?? ''));
  let smapsRollup: SmapsRollup | null = null;
  if (withRollup) {
    const text = readOrNull('/proc/self/smaps_rollup');
    if (text !== null) smapsRollup = pick(ROLLUP_FIELDS, kilobyteLines(text));
  }
  return { ...status, smapsRollup };
}
