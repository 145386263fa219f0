/**
 * jemalloc's arenas, from `arenas.narenas` and `stats.arenas.<i>.*`: the
 * jemalloc side of `arenas()` (glibc's comes from `malloc_info` XML).
 * @packageDocumentation
 */
import { allocator } from './allocator';
import { UnsupportedError } from './errors';
import { binding } from './native';
import { assertSupported } from './support';

/** One initialised jemalloc arena; sizes in bytes. */
export interface JemallocArena {
  /** The arena's index (`<i>` in `stats.arenas.<i>`). */
  index: number;
  /** `nthreads`: threads currently bound to the arena. */
  threads: number;
  /** `small.allocated + large.allocated`: bytes the program holds from this arena. */
  allocated: number;
  /** `pactive` × page: bytes in pages holding allocations. */
  active: number;
  /** `pdirty` × page: freed pages not yet purged. */
  dirty: number;
  /** `pmuzzy` × page: pages purged lazily (`MADV_FREE`). */
  muzzy: number;
  /** `mapped`: bytes mapped for this arena. */
  mapped: number;
  /** `retained`: address space kept after its pages were returned. */
  retained: number;
  /** `resident`: resident bytes of this arena (a maximum). */
  resident: number;
}

/** What {@link jemallocArenas} returns. */
export interface JemallocArenas {
  /** `arenas.narenas`: arena slots, initialised or not (jemalloc's default is 4 × CPUs). */
  count: number;
  /** The initialised arenas, by index. */
  arenas: JemallocArena[];
}

/**
 * Reads jemalloc's arena statistics (after an epoch refresh).
 *
 * @throws UnsupportedError, saying why, unless the allocator is jemalloc
 * with statistics.
 */
export function jemallocArenas(): JemallocArenas {
  assertSupported('arenas');
  const result = binding.jemallocArenas();
  if (result === null) {
    throw new UnsupportedError(`jemallocArenas() needs jemalloc, but this process's allocator is ${allocator().kind}`);
  }
  return result;
}
