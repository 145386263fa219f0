// Which malloc serves this process. glibc's mallinfo2 returns zeros, not an
// error, when jemalloc is LD_PRELOADed, and tcmalloc replaces mallinfo but
// not mallinfo2: a number is only trusted once the allocator is known.
// This file picks the backend (glibc.cc, jemalloc.cc, tcmalloc.cc); the
// binding and any worker call these functions rather than a backend.
#pragma once

#include <cstddef>

namespace mallinfo {

enum class AllocatorKind { kGlibc, kJemalloc, kTcmalloc, kUnknown };

// Detected once per process from the symbols in its global scope.
AllocatorKind DetectAllocator();

const char* AllocatorName(AllocatorKind kind);

// The allocator's own version string (glibc: gnu_get_libc_version, jemalloc:
// the `version` mallctl, tcmalloc: tc_version), or nullptr.
const char* AllocatorVersion();

// Whether FillHeap gives numbers for this allocator (false on musl, an
// unknown allocator, or a jemalloc/tcmalloc whose statistics are off).
bool HasHeapStats();

// Writes the detected allocator's statistics into the sample buffer (the
// slots of its layout.h section) and returns the HeapSource that says which
// section is valid: kHeapNone when there are none. Allocates nothing.
int FillHeap(double* buffer);

// Whether TrimHeap can return memory to the kernel here.
bool CanTrimHeap();

// Returns free allocator memory to the kernel: glibc malloc_trim(pad),
// jemalloc arena.<all>.purge, tcmalloc MallocExtension_ReleaseFreeMemory
// (pad applies to glibc only). Returns 1 when the allocator was asked, 0
// when glibc said nothing could be released, -1 when unsupported or failed.
// Blocks for as long as the allocator takes: call it off the event loop
// for the async form.
int TrimHeap(size_t pad);

// How many TrimHeap calls are running now, on any thread of the process:
// glibc's malloc_trim holds the arena locks meanwhile, and a FillHeap
// (mallinfo2 takes every arena's lock) would wait for it.
int TrimsRunning();

}  // namespace mallinfo
