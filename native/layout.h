// Slot indices of the Float64Array that Fill() writes. The binding exports
// these names and numbers, and src/native.ts reads them from there, so this
// file is the one definition of the layout.
#pragma once

namespace mallinfo {

enum Slot : int {
  // Which call filled the heap slots: 0 none (no statistics: heap is null),
  // 1 mallinfo2 (exact size_t), 2 mallinfo (int fields, wrap above 4 GiB),
  // 3 jemalloc's mallctl, 4 tcmalloc's MallocExtension (see HeapSource).
  kHeapSource = 0,
  kArena,
  kOrdblks,
  kSmblks,
  kHblks,
  kHblkhd,
  kUsmblks,
  kFsmblks,
  kUordblks,
  kFordblks,
  kKeepcost,
  // 1 when /proc/self/statm was read, 0 when it could not be.
  kStatmOk,
  // /proc/self/statm fields, converted from pages to bytes.
  kStatmSize,
  kStatmResident,
  kStatmShared,
  kStatmText,
  kStatmLib,
  kStatmData,
  kStatmDt,
  // When fill() ran, in milliseconds since the epoch (CLOCK_REALTIME).
  kTimeMs,
  // How long fill() took, in nanoseconds (CLOCK_MONOTONIC): mallinfo2 walks
  // free chunks under the arena locks, so this is what grows on a big heap.
  kFillNs,
  // jemalloc's statistics (heapSource 3), read with mallctl after an epoch
  // refresh: stats.allocated, .active, .resident, .mapped, .retained,
  // .metadata, and stats.arenas.<all>.pdirty/.pmuzzy converted to bytes.
  kJemallocAllocated,
  kJemallocActive,
  kJemallocResident,
  kJemallocMapped,
  kJemallocRetained,
  kJemallocMetadata,
  kJemallocDirty,
  kJemallocMuzzy,
  // gperftools tcmalloc's statistics (heapSource 4), read with
  // MallocExtension_GetNumericProperty: generic.current_allocated_bytes,
  // generic.heap_size, tcmalloc.pageheap_free_bytes,
  // tcmalloc.pageheap_unmapped_bytes and the three cache free_bytes.
  kTcmallocAllocated,
  kTcmallocHeapSize,
  kTcmallocPageheapFree,
  kTcmallocPageheapUnmapped,
  kTcmallocCentralCacheFree,
  kTcmallocTransferCacheFree,
  kTcmallocThreadCacheFree,
  kSlotCount
};

// How many slots each allocator backend fills, starting at its first slot.
constexpr int kJemallocFieldCount = kJemallocMuzzy - kJemallocAllocated + 1;
constexpr int kTcmallocFieldCount = kTcmallocThreadCacheFree - kTcmallocAllocated + 1;

enum HeapSource : int {
  kHeapNone = 0,
  kHeapMallinfo2 = 1,
  kHeapMallinfo = 2,
  kHeapJemalloc = 3,
  kHeapTcmalloc = 4,
};

}  // namespace mallinfo
