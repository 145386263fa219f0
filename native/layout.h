// Slot indices of the Float64Array that Fill() writes. The binding exports
// these names and numbers, and src/native.ts reads them from there, so this
// file is the one definition of the layout.
#pragma once

namespace mallinfo {

enum Slot : int {
  // Which call filled the heap slots: 0 none (no statistics: heap is null),
  // 1 mallinfo2 (exact size_t), 2 mallinfo (int fields, wrap above 4 GiB).
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
  kSlotCount
};

enum HeapSource : int {
  kHeapNone = 0,
  kHeapMallinfo2 = 1,
  kHeapMallinfo = 2,
};

}  // namespace mallinfo
