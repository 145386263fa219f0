/**
 * `trimSync()` and `trim()`: hand free allocator memory back to the kernel (glibc
 * `malloc_trim`, jemalloc `arena.<all>.purge`, tcmalloc
 * `MallocExtension_ReleaseFreeMemory`), and prove what came back by
 * measuring RSS around it (glibc's return value only says that some
 * madvise was issued; the others return nothing useful).
 * @packageDocumentation
 */
import { UnsupportedError } from '../core/errors';
import { binding } from '../core/native';
import { readResident } from '../core/sample';
import { recordTrim, type MeasuredTrimResult, type TrimResult } from './trim-stats';
import { assertSupported } from '../core/support';
import { integerOption, optionsObject } from '../core/validate';

export type { MeasuredTrimResult, TrimResult } from './trim-stats';

/** Options of {@link trimSync} and {@link trim}. */
export interface TrimOptions {
  /** Bytes to leave untrimmed at the top of the main heap (glibc `malloc_trim`'s `pad`; jemalloc and tcmalloc ignore it). Default 0. */
  pad?: number;
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
export function trimSync(options?: TrimOptions): MeasuredTrimResult {
  const pad = trimPad(options);
  assertCanTrim();
  const rssBefore = residentOrThrow();
  const start = performance.now();
  binding.trim(pad);
  const durationMs = performance.now() - start;
  const rssAfter = residentOrThrow();
  const result: MeasuredTrimResult = { rssBefore, rssAfter, released: rssBefore - rssAfter, durationMs };
  recordTrim(result);
  return result;
}

/**
 * Runs the allocator's trim (glibc `malloc_trim(pad)`, jemalloc purge,
 * tcmalloc release) on the libuv threadpool, off the event loop, and
 * resolves with the RSS it released (a trim of a fragmented heap of
 * hundreds of MB takes tens of milliseconds). The event loop keeps running
 * meanwhile, with one limit that comes from glibc: `malloc_trim` holds each
 * arena's lock while it works on that arena, so a `malloc` or `free` of any
 * thread that needs that arena (and misses its small per-thread cache)
 * waits. Buffers allocated on the main thread come from the main arena:
 * JavaScript that allocates Buffers while a fragmented main arena is being
 * trimmed waits about as long as with {@link trimSync}; timers, I/O and
 * callbacks that do not allocate outside V8's heap keep running. A Sampler
 * skips its ticks meanwhile (a sample would wait for every arena's lock;
 * see {@link trimRunning}).
 *
 * `rssBefore` and `rssAfter` are read on the threadpool thread just before
 * and just after `malloc_trim`, not when `trim()` is called: a trim queued
 * behind busy threadpool work (file system, zlib, crypto) does not count
 * the memory the program allocated while it waited. The event loop runs
 * during the trim, so `released` is net of whatever the program allocated
 * or freed in those milliseconds. `durationMs` is the trim call's own time.
 *
 * Invalid options and an allocator that cannot trim (musl, unknown) reject the promise
 * (`TypeError`/`RangeError`, `UnsupportedError`). When `/proc/self/statm`
 * cannot be read, the trim still runs (it is queued before statm is read)
 * and the promise resolves with `rssBefore`, `rssAfter` and `released` null:
 * never a number that was not measured. ({@link trimSync} refuses before
 * trimming instead.)
 *
 * @example
 * ```ts
 * const { released, durationMs } = await trim();
 * log.info(`gave ${released} bytes back in ${durationMs} ms`);
 * ```
 */
export async function trim(options?: TrimOptions): Promise<TrimResult> {
  const pad = trimPad(options);
  assertCanTrim();
  const result = await binding.trimAsync(pad);
  const measured: TrimResult = result.statmOk
    ? { rssBefore: result.rssBefore, rssAfter: result.rssAfter, released: result.rssBefore - result.rssAfter, durationMs: result.durationNs / 1e6 }
    : { rssBefore: null, rssAfter: null, released: null, durationMs: result.durationNs / 1e6 };
  recordTrim(measured);
  return measured;
}

/**
 * Whether a trim of mallinfo (`trim()`, `trimSync()`, auto-trim, on any
 * thread of the process) is running now. glibc's `malloc_trim` holds the
 * arena locks meanwhile and `mallinfo2` takes every one of them, so a
 * sample would wait for the trim: the Sampler skips its ticks while this
 * is true. (Process-wide: the count lives in the addon, shared by worker
 * threads and by every copy of this package that loads the same addon
 * file.)
 */
export function trimRunning(): boolean {
  return binding.trimsRunning() > 0;
}
