/**
 * jemalloc's arenas, from `arenas.narenas` and `stats.arenas.<i>.*`: the
 * jemalloc side of `arenas()` (glibc's comes from `malloc_info` XML).
 * @packageDocumentation
 */
import { allocator } from '../core/allocator';
import { UnsupportedError } from '../core/errors';
import { binding, type JemallocArenas } from '../core/native';
import { assertSupported } from '../core/support';

export type { JemallocArena, JemallocArenas } from '../core/native';

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
