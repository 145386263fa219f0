/**
 * The shape of a memory sample. Every size is in bytes; every field says
 * where its number comes from.
 * @packageDocumentation
 */

/**
 * glibc's `struct mallinfo2`, summed over all arenas, as returned by
 * `mallinfo2()` (or `mallinfo()` on glibc < 2.33, see {@link HeapStats.exact}).
 */
export interface MallinfoFields {
  /** `arena`: bytes obtained from the kernel with brk/mmap for the arenas' heaps (excludes mmapped chunks). */
  arena: number;
  /** `ordblks`: number of free chunks in the bins (a measure of fragmentation). */
  ordblks: number;
  /** `smblks`: number of free fastbin chunks (0 on recent glibc, where fastbins are counted elsewhere). */
  smblks: number;
  /** `hblks`: number of chunks allocated with mmap (large allocations). */
  hblks: number;
  /** `hblkhd`: bytes in chunks allocated with mmap. */
  hblkhd: number;
  /** `usmblks`: always 0 since glibc 2.x (kept for ABI). */
  usmblks: number;
  /** `fsmblks`: bytes in free fastbin chunks. */
  fsmblks: number;
  /** `uordblks`: bytes in chunks the program holds, excluding mmapped chunks. */
  uordblks: number;
  /** `fordblks`: bytes in free chunks the allocator keeps, including each arena's top chunk. */
  fordblks: number;
  /** `keepcost`: size of the main arena's top chunk (what `malloc_trim(0)` could always release). */
  keepcost: number;
}

/**
 * jemalloc's statistics, read with `mallctl` after advancing `epoch`
 * (jemalloc caches its statistics until then). All in bytes.
 */
export interface JemallocFields {
  /** `stats.allocated`: bytes the program holds (objects cached in thread caches count as allocated). */
  allocated: number;
  /** `stats.active`: bytes in pages that hold allocations (a multiple of the page size, ≥ `allocated`). */
  active: number;
  /** `stats.resident`: bytes in resident pages jemalloc maps: data, metadata and dirty pages (a maximum: untouched pages count). */
  resident: number;
  /** `stats.mapped`: bytes in extents jemalloc has mapped: active, dirty and muzzy pages and metadata (not `retained`). */
  mapped: number;
  /** `stats.retained`: address space kept after its pages were returned to the kernel (not memory). */
  retained: number;
  /** `stats.metadata`: bytes of jemalloc's own bookkeeping. */
  metadata: number;
  /** `stats.arenas.<all>.pdirty` × `arenas.page`: freed pages not yet purged, still resident (what a purge returns now). */
  dirty: number;
  /** `stats.arenas.<all>.pmuzzy` × `arenas.page`: pages purged lazily (`MADV_FREE`): the kernel takes them back under memory pressure. */
  muzzy: number;
}

/**
 * gperftools tcmalloc's statistics, read with
 * `MallocExtension_GetNumericProperty`. All in bytes.
 */
export interface TcmallocFields {
  /** `generic.current_allocated_bytes`: bytes the program holds. */
  currentAllocated: number;
  /** `generic.heap_size`: bytes of heap tcmalloc obtained from the kernel, unmapped ones included. */
  heapSize: number;
  /** `tcmalloc.pageheap_free_bytes`: free pages in the page heap, still mapped (what a release returns). */
  pageheapFree: number;
  /** `tcmalloc.pageheap_unmapped_bytes`: free pages already returned to the kernel (address space only). */
  pageheapUnmapped: number;
  /** `tcmalloc.central_cache_free_bytes`: free objects in the central per-size-class lists. */
  centralCacheFree: number;
  /** `tcmalloc.transfer_cache_free_bytes`: free objects in transfer caches between central and thread caches. */
  transferCacheFree: number;
  /** `tcmalloc.thread_cache_free_bytes`: free objects in per-thread caches. */
  threadCacheFree: number;
}

/** Which allocator's statistics a {@link HeapStats} holds. */
export type HeapAllocator = 'glibc' | 'jemalloc' | 'tcmalloc';

/** What every allocator's {@link HeapStats} has, whichever allocator it is. */
export interface HeapStatsCommon {
  /** Which allocator these numbers come from; says which raw section (`mallinfo`, `jemalloc`, `tcmalloc`) is present. */
  allocator: HeapAllocator;
  /** Bytes the program holds from malloc (glibc `uordblks + hblkhd`, jemalloc `allocated`, tcmalloc `currentAllocated`). */
  inUse: number;
  /**
   * Free bytes the allocator keeps instead of returning them to the kernel
   * (glibc `fordblks`; jemalloc `active − allocated + dirty + muzzy`;
   * tcmalloc page heap free + central, transfer and thread caches). glibc
   * still counts pages that `malloc_trim` gave back; jemalloc and tcmalloc
   * do not count what they returned.
   */
  free: number;
  /**
   * Bytes the allocator holds from the kernel (glibc `arena + hblkhd`,
   * trimmed pages included; jemalloc `mapped`, without `retained`;
   * tcmalloc `heapSize − pageheapUnmapped`).
   */
  mapped: number;
  /** Bytes in chunks mmapped one by one (glibc `hblkhd`); `null` where the allocator has no such separate mapping (jemalloc, tcmalloc). */
  mmapped: number | null;
  /**
   * `false` only when read with glibc's older `mallinfo()`, whose int
   * fields wrap modulo 4 GiB: treat values near or above that as unknown.
   */
  exact: boolean;
}

/** glibc malloc's statistics, from {@link MallinfoFields}. */
export interface GlibcHeapStats extends HeapStatsCommon {
  allocator: 'glibc';
  /** Bytes in mmapped chunks (large allocations, outside the arenas): `hblkhd`. */
  mmapped: number;
  /**
   * `true` when read with `mallinfo2()` (glibc >= 2.33, exact 64-bit sums);
   * `false` when read with the older `mallinfo()`.
   */
  exact: boolean;
  /** The raw fields. */
  mallinfo: MallinfoFields;
}

/** jemalloc's statistics (an `LD_PRELOAD`ed or linked-in jemalloc ≥ 5). */
export interface JemallocHeapStats extends HeapStatsCommon {
  allocator: 'jemalloc';
  /** jemalloc serves large allocations from its extents, not separate mmaps. */
  mmapped: null;
  /** jemalloc's counters are 64-bit. */
  exact: true;
  /** The raw values. */
  jemalloc: JemallocFields;
}

/** gperftools tcmalloc's statistics (an `LD_PRELOAD`ed or linked-in tcmalloc). */
export interface TcmallocHeapStats extends HeapStatsCommon {
  allocator: 'tcmalloc';
  /** tcmalloc serves large allocations from its page heap, not separate mmaps. */
  mmapped: null;
  /** tcmalloc's properties are size_t. */
  exact: true;
  /** The raw values. */
  tcmalloc: TcmallocFields;
}

/**
 * The C allocator's view. `allocator` tells which one it is, and narrows
 * the type to the one with that allocator's raw section:
 *
 * ```ts
 * if (heap?.allocator === 'jemalloc') heap.jemalloc.dirty;
 * ```
 */
export type HeapStats = GlibcHeapStats | JemallocHeapStats | TcmallocHeapStats;

/** The kernel's view of the process, from `/proc/self/statm` (pages × page size). */
export interface ProcessStats {
  /** Virtual address space size (statm `size`; `VmSize`). */
  virtual: number;
  /** Resident set size, the RSS that `ps` and the OOM killer see (statm `resident`; `VmRSS`). */
  resident: number;
  /** Resident pages backed by files or shared memory (statm `shared`; `RssFile + RssShmem`). */
  shared: number;
  /** Program code (statm `text`). */
  text: number;
  /** Data and stack, the heap included (statm `data`; `VmData + VmStk`). */
  data: number;
}

/** V8's view, from `v8.getHeapStatistics()`. */
export interface V8Stats {
  /** Size of the JS heap V8 has reserved (`total_heap_size`). */
  total: number;
  /** Bytes of live and not-yet-collected JS objects (`used_heap_size`). */
  used: number;
  /** Resident bytes of the JS heap (`total_physical_size`). */
  physical: number;
  /** Bytes of memory outside the JS heap that JS objects keep alive, ArrayBuffers included (`external_memory`). */
  external: number;
  /** Bytes V8 itself holds from malloc (`malloced_memory`). */
  malloced: number;
  /** The heap size at which V8 fails with out-of-memory (`heap_size_limit`). */
  limit: number;
}

/** One sample: the allocator, the kernel and V8, read together. */
export interface MemorySample {
  /** When the sample was taken, in milliseconds since the epoch (`CLOCK_REALTIME`, like `Date.now()` but with sub-millisecond digits). */
  time: number;
  /**
   * How long reading the allocator and the kernel took, in nanoseconds
   * (`CLOCK_MONOTONIC` around the allocator's statistics call — glibc's
   * `mallinfo2`, jemalloc's epoch refresh and `mallctl` reads, tcmalloc's
   * properties — and the statm read). glibc's part grows with a fragmented
   * heap, holding the arena locks; jemalloc's with its arena count. The V8
   * read adds a constant ~0.3 µs not counted here.
   */
  costNs: number;
  /** The C allocator's statistics, or `null` where the allocator gives none (musl, an unknown allocator): never zeros. */
  heap: HeapStats | null;
  /** The kernel's view, or `null` when `/proc/self/statm` could not be read. */
  process: ProcessStats | null;
  /** V8's heap. */
  v8: V8Stats;
}
