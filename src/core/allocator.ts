/**
 * `allocator()`: which malloc serves this process, and what it can tell.
 * @packageDocumentation
 */
import { readFileSync } from 'node:fs';
import { processMallocSettings, type MallocSettings } from './malloc-settings';
import { binding } from './native';

/** The allocator behind malloc in this process. */
export type AllocatorKind = 'glibc' | 'jemalloc' | 'tcmalloc' | 'musl' | 'unknown';

/** What {@link allocator} reports. */
export interface AllocatorInfo {
  /**
   * Which allocator serves malloc (an LD_PRELOADed jemalloc/tcmalloc wins
   * over glibc). `'unknown'`: another allocator replaced malloc (mimalloc,
   * say), or the C library is neither glibc nor musl.
   */
  kind: AllocatorKind;
  /**
   * The allocator's version where it can be read, else null: glibc
   * `gnu_get_libc_version()` ("2.36"), jemalloc's `version` mallctl
   * ("5.3.0-0-g54eaed1…"), tcmalloc `tc_version()` ("gperftools 2.10").
   */
  version: string | null;
  /** The C library's glibc version, or null when the C library is not glibc (musl). */
  glibcVersion: string | null;
  /**
   * Whether `sample().heap` carries statistics; false means it is always
   * null (musl, an unknown allocator, a jemalloc built without statistics).
   */
  heapStats: boolean;
  /** Whether glibc's `mallinfo2()` exists (glibc >= 2.33); without it glibc values come from `mallinfo()` and are not exact above 4 GiB. */
  mallinfo2: boolean;
  /**
   * Whether `trimSync()`/`trim()` can release memory here: glibc
   * `malloc_trim`, jemalloc `arena.<all>.purge`, tcmalloc
   * `MallocExtension_ReleaseFreeMemory`.
   */
  trim: boolean;
  /**
   * glibc malloc's settings (arena limit, thresholds) and where each comes
   * from, as glibc read them from the environment when the process started;
   * null when glibc's malloc does not serve this process.
   */
  settings: MallocSettings | null;
}

let cached: AllocatorInfo | undefined;

// musl has no function that names it; its dynamic loader does.
function looksLikeMusl(): boolean {
  try {
    return /\/ld-musl-|\/libc\.musl-/.test(readFileSync('/proc/self/maps', 'latin1'));
  } catch {
    return false;
  }
}

/**
 * Describes the allocator. Detected once per process; the result is a
 * fresh copy each call. `settings` reflects the environment the process
 * started with: glibc reads it once, before any JavaScript runs, so
 * changing `process.env` later changes neither glibc nor this report.
 *
 * @example
 * ```ts
 * allocator(); // { kind: 'glibc', version: '2.36', glibcVersion: '2.36', heapStats: true, mallinfo2: true, trim: true }
 * // under LD_PRELOAD=libjemalloc.so.2: { kind: 'jemalloc', version: '5.3.0-0-g54eaed1…', … }
 * ```
 */
export function allocator(): AllocatorInfo {
  if (cached === undefined) {
    const info = binding.allocator();
    const kind: AllocatorKind =
      info.kind === 'unknown' && info.glibcVersion === null && looksLikeMusl() ? 'musl' : info.kind;
    cached = {
      kind,
      version: info.version,
      glibcVersion: info.glibcVersion,
      heapStats: info.heapStats,
      mallinfo2: info.mallinfo2,
      trim: info.trim,
      settings: kind === 'glibc' ? processMallocSettings() : null,
    };
  }
  return structuredClone(cached);
}
