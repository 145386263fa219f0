/**
 * `arenas()`: glibc's arenas one by one, from `malloc_info`. Counting the
 * `<heap>` elements is the only way to learn how many arenas are alive.
 * @packageDocumentation
 */
import { allocator } from './allocator';
import { UnsupportedError } from './errors';
import { parseMallocInfo, type ArenaStats, type MallocInfoTotals } from './malloc-info';
import { binding } from './native';

/** What {@link arenas} reports. */
export interface ArenaReport {
  /** Live arenas: the main arena plus one per thread arena glibc created (never freed while the process lives). */
  count: number;
  /** Each arena's statistics, main arena first. */
  arenas: ArenaStats[];
  /** glibc's totals over all arenas, with the mmapped chunks. */
  totals: MallocInfoTotals;
}

/**
 * Reads glibc's `malloc_info` and returns every arena's statistics.
 *
 * Costly like a `sample()` on the same heap and more: glibc walks every
 * free chunk of each arena under that arena's lock and writes XML, which is
 * then parsed. Call it on demand, not on a sampling interval.
 *
 * @throws UnsupportedError where the allocator is not glibc or has no `malloc_info`.
 * @example
 * ```ts
 * const { count, arenas: list } = arenas();
 * for (const a of list) console.log(a.index, a.system.current, a.free.rest.bytes);
 * ```
 */
export function arenas(): ArenaReport {
  const info = allocator();
  const xml = info.kind === 'glibc' ? binding.mallocInfo() : null;
  if (xml === null) {
    throw new UnsupportedError(
      `arenas() needs glibc's malloc_info, but this process's allocator is ${info.kind}` +
        (info.kind === 'glibc' ? ' and malloc_info failed or is missing' : ''),
    );
  }
  const parsed = parseMallocInfo(xml);
  return { count: parsed.arenas.length, arenas: parsed.arenas, totals: parsed.totals };
}
