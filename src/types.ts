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

/** The C allocator's view, derived from {@link MallinfoFields}. */
export interface HeapStats {
  /** Bytes the program holds from malloc: `uordblks + hblkhd`. */
  inUse: number;
  /** Free bytes the allocator keeps instead of returning them: `fordblks`. */
  free: number;
  /** Bytes the allocator obtained from the kernel: `arena + hblkhd`. */
  mapped: number;
  /** Bytes in mmapped chunks (large allocations, outside the arenas): `hblkhd`. */
  mmapped: number;
  /**
   * `true` when read with `mallinfo2()` (glibc >= 2.33, exact 64-bit sums);
   * `false` when read with the older `mallinfo()`, whose int fields wrap
   * modulo 4 GiB: treat values near or above that as unknown.
   */
  exact: boolean;
  /** The raw fields. */
  mallinfo: MallinfoFields;
}

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
   * (`CLOCK_MONOTONIC` around `mallinfo2` + the statm read). This is the
   * part that grows with a fragmented heap, holding the arena locks; the
   * V8 read adds a constant ~0.3 µs not counted here.
   */
  costNs: number;
  /** The C allocator's statistics, or `null` where the allocator gives none (musl, or an allocator not yet supported): never zeros. */
  heap: HeapStats | null;
  /** The kernel's view, or `null` when `/proc/self/statm` could not be read. */
  process: ProcessStats | null;
  /** V8's heap. */
  v8: V8Stats;
}
