#include "allocator.h"

#include "glibc.h"
#include "symbols.h"

namespace mallinfo {

AllocatorKind DetectAllocator() {
  static const AllocatorKind kind = [] {
    // Replacement allocators first: glibc is still loaded beneath them.
    if (LookupSymbol("mallctl") != nullptr) return AllocatorKind::kJemalloc;
    if (LookupSymbol("MallocExtension_GetNumericProperty") != nullptr) {
      return AllocatorKind::kTcmalloc;
    }
    const Glibc& glibc = Glibc::Get();
    if (glibc.LibcVersion() != nullptr &&
        (glibc.HasMallinfo2() || glibc.HasMallinfo())) {
      return AllocatorKind::kGlibc;
    }
    return AllocatorKind::kUnknown;
  }();
  return kind;
}

const char* AllocatorName(AllocatorKind kind) {
  switch (kind) {
    case AllocatorKind::kGlibc: return "glibc";
    case AllocatorKind::kJemalloc: return "jemalloc";
    case AllocatorKind::kTcmalloc: return "tcmalloc";
    case AllocatorKind::kUnknown: break;
  }
  return "unknown";
}

}  // namespace mallinfo
