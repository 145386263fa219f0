// Which malloc serves this process. glibc's mallinfo2 returns zeros, not an
// error, when jemalloc is LD_PRELOADed, and tcmalloc replaces mallinfo but
// not mallinfo2: a number is only trusted once the allocator is known.
#pragma once

namespace mallinfo {

enum class AllocatorKind { kGlibc, kJemalloc, kTcmalloc, kUnknown };

// Detected once per process from the symbols in its global scope.
AllocatorKind DetectAllocator();

const char* AllocatorName(AllocatorKind kind);

}  // namespace mallinfo
