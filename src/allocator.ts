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
  /** Which allocator serves malloc (an LD_PRELOADed jemalloc/tcmalloc wins over glibc). */
  kind: AllocatorKind;
  /** The allocator's version where it can be read (glibc: `gnu_get_libc_version()`), else null. */
  version: string | null;
  /** The C library's glibc version, or null when the C library is not glibc (musl). */
  glibcVersion: string | null;
  /** Whether `sample().heap` carries statistics; false means it is always null. */
  heapStats: boolean;
  /** Whether glibc's `mallinfo2()` exists (glibc >= 2.33); without it values come from `mallinfo()` and are not exact above 4 GiB. */
  mallinfo2: boolean;
  /** Whether `trimSync()`/`trim()` can release memory here (glibc's `malloc_trim`). */
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
 * ```
 */
export function allocator(): AllocatorInfo {
  if (cached === undefined) {
    const info = binding.allocator();
    const glibc = info.kind === 'glibc';
    const kind: AllocatorKind =
      info.kind === 'unknown' && info.glibcVersion === null && looksLikeMusl() ? 'musl' : info.kind;
    cached = {
      kind,
      version: glibc ? info.glibcVersion : null,
      glibcVersion: info.glibcVersion,
      heapStats: glibc,
      mallinfo2: info.mallinfo2,
      trim: glibc && info.mallocTrim,
      settings: glibc ? processMallocSettings() : null,
    };
  }
  return structuredClone(cached);
}
