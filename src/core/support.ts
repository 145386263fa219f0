/**
 * What each allocator supports, and the words for why not: every function
 * that cannot work on this allocator throws the same explained error.
 * @packageDocumentation
 */
import { allocator, type AllocatorKind } from './allocator';
import { UnsupportedError } from './errors';

/** A capability that depends on the allocator. */
export type Capability = 'trim' | 'arenas';

// What 'unknown' means: glibc is the C library but its malloc saw none of
// this process's allocations (another allocator replaced malloc), or the C
// library is neither glibc nor musl.
function unknownAllocator(): string {
  return allocator().glibcVersion !== null
    ? 'malloc is served by an allocator mallinfo does not know (such as an LD_PRELOADed mimalloc): glibc is loaded but does not serve malloc, so its numbers would be zeros'
    : 'the C library is neither glibc nor musl, and no jemalloc or tcmalloc was found';
}

const WHY_NOT: Record<Capability, Record<Exclude<AllocatorKind, 'unknown'>, string>> = {
  trim: {
    musl: "musl's malloc has no call to return free memory on request (and no statistics to show what it holds)",
    jemalloc: "jemalloc's mallctl statistics are unavailable (jemalloc older than 5.0, or built with --disable-stats)",
    tcmalloc: "tcmalloc's MallocExtension_ReleaseFreeMemory was not found",
    glibc: "glibc's malloc_trim was not found",
  },
  arenas: {
    musl: "musl's malloc has no arenas to report and no statistics interface",
    jemalloc: "jemalloc's mallctl statistics are unavailable (jemalloc older than 5.0, or built with --disable-stats)",
    tcmalloc: 'gperftools tcmalloc has no arenas (it has per-thread caches and one page heap: see sample().heap.tcmalloc)',
    glibc: "glibc's malloc_info was not found",
  },
};

/** Whether `capability` works with this process's allocator. */
function supported(capability: Capability): boolean {
  const info = allocator();
  if (capability === 'trim') return info.trim;
  // arenas: glibc through malloc_info, jemalloc through arenas.narenas.
  return (info.kind === 'glibc' || info.kind === 'jemalloc') && info.heapStats;
}

/**
 * Throws an {@link UnsupportedError} that names the allocator and says why
 * `capability` cannot work with it; returns quietly where it can.
 */
export function assertSupported(capability: Capability, what: string = capability): void {
  if (supported(capability)) return;
  const { kind } = allocator();
  const why = kind === 'unknown' ? unknownAllocator() : WHY_NOT[capability][kind];
  throw new UnsupportedError(`${what} is not supported with this process's allocator (${kind}): ${why}`);
}
