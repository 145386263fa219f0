/**
 * `trimSync()`: hand free allocator memory back to the kernel (glibc
 * `malloc_trim`, jemalloc `arena.<all>.purge`, tcmalloc
 * `MallocExtension_ReleaseFreeMemory`), and prove what came back by
 * measuring RSS around it (glibc's return value only says that some
 * madvise was issued; the others return nothing useful).
 * @packageDocumentation
 */
import { UnsupportedError } from './errors';
import { binding } from './native';
import { readResident } from './sample';
import { assertSupported } from './support';
import { integerOption, optionsObject } from './validate';

/** Options of {@link trimSync}. */
export interface TrimOptions {
  /** Bytes to leave untrimmed at the top of the main heap (glibc `malloc_trim`'s `pad`; jemalloc and tcmalloc ignore it). Default 0. */
  pad?: number;
}

/** What a trim did, measured from `/proc/self/statm`. */
export interface TrimResult {
  /** Resident set size just before the trim, in bytes. */
  rssBefore: number;
  /** Resident set size just after the trim, in bytes. */
  rssAfter: number;
  /** `rssBefore - rssAfter`: bytes the kernel got back (negative if other threads grew RSS meanwhile). */
  released: number;
  /** How long the allocator's trim call took, in milliseconds. */
  durationMs: number;
}

/** Validates trim options; shared by the sync and async forms. */
export function trimPad(options: unknown): number {
  const opts = optionsObject('options', options, ['pad']);
  return integerOption('options.pad', opts.pad, 0, 0);
}

/** Throws UnsupportedError, saying why, unless this allocator can trim. */
export function assertCanTrim(): void {
  assertSupported('trim');
}

/** RSS from statm, or an error: a trim without the before/after proves nothing. */
export function residentOrThrow(): number {
  const resident = readResident();
  if (resident === null) throw new UnsupportedError('cannot read /proc/self/statm to measure the trim');
  return resident;
}

/**
 * Returns free allocator memory to the kernel on the calling thread — glibc
 * `malloc_trim(pad)`, jemalloc `arena.<all>.purge`, tcmalloc
 * `MallocExtension_ReleaseFreeMemory()` — and measures the RSS it
 * released. Blocks the event loop for its duration: tens of milliseconds on
 * a fragmented heap of hundreds of MB.
 *
 * @throws UnsupportedError, saying why, on musl or an unknown allocator.
 * @example
 * ```ts
 * const { released, durationMs } = trimSync();
 * console.log(`gave ${released} bytes back in ${durationMs} ms`);
 * ```
 */
export function trimSync(options?: TrimOptions): TrimResult {
  const pad = trimPad(options);
  assertCanTrim();
  const rssBefore = residentOrThrow();
  const start = performance.now();
  binding.trim(pad);
  const durationMs = performance.now() - start;
  const rssAfter = residentOrThrow();
  return { rssBefore, rssAfter, released: rssBefore - rssAfter, durationMs };
}
