/**
 * `arenas()`: the allocator's arenas one by one — glibc's from
 * `malloc_info` (counting its `<heap>` elements is the only way to learn
 * how many arenas are alive), jemalloc's from `arenas.narenas` and
 * `stats.arenas.<i>.*`.
 * @packageDocumentation
 */
import { allocator } from '../core/allocator';
import { UnsupportedError } from '../core/errors';
import { jemallocArenas, type JemallocArena } from './jemalloc-arenas';
import { parseMallocInfo, type ArenaStats, type MallocInfoTotals } from './malloc-info';
import { binding } from '../core/native';
import { assertSupported } from '../core/support';

/** What {@link arenas} reports: `allocator` tells the two shapes apart. */
export type ArenaReport = GlibcArenaReport | JemallocArenaReport;

/** glibc's arenas, from `malloc_info`. */
export interface GlibcArenaReport {
  allocator: 'glibc';
  /** Live arenas: the main arena plus one per thread arena glibc created (never freed while the process lives). */
  count: number;
  /** Each arena's statistics, main arena first. */
  arenas: ArenaStats[];
  /** glibc's totals over all arenas, with the mmapped chunks. */
  totals: MallocInfoTotals;
}

/** jemalloc's arenas, from `mallctl` after an epoch refresh. */
export interface JemallocArenaReport {
  allocator: 'jemalloc';
  /** `arenas.narenas`: arena slots, initialised or not (jemalloc's default is 4 × CPUs). */
  count: number;
  /** The initialised arenas, by index. */
  arenas: JemallocArena[];
}

/**
 * Returns every arena's statistics: glibc's `malloc_info`, parsed, or
 * jemalloc's per-arena `mallctl` statistics.
 *
 * Costly like a `sample()` on the same heap and more: glibc walks every
 * free chunk of each arena under that arena's lock and writes XML, which is
 * then parsed. Call it on demand, not on a sampling interval.
 *
 * @throws UnsupportedError, saying why, where the allocator has no arenas
 * to report (tcmalloc, musl, unknown) or glibc's `malloc_info` failed.
 * @example
 * ```ts
 * const { count, arenas: list } = arenas();
 * const report = arenas();
 * if (report.allocator === 'glibc') {
 *   for (const a of report.arenas) console.log(a.index, a.system.current, a.free.rest.bytes);
 * }
 * ```
 */
export function arenas(): ArenaReport {
  assertSupported('arenas', 'arenas()');
  if (allocator().kind === 'jemalloc') return { allocator: 'jemalloc', ...jemallocArenas() };
  const xml = binding.mallocInfo();
  if (xml === null) throw new UnsupportedError("arenas() needs glibc's malloc_info, which failed");
  const parsed = parseMallocInfo(xml);
  return { allocator: 'glibc', count: parsed.arenas.length, arenas: parsed.arenas, totals: parsed.totals };
}
