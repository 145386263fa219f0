#include "allocator.h"

#include "glibc.h"
#include "jemalloc.h"
#include "layout.h"
#include "symbols.h"
#include "tcmalloc.h"

namespace mallinfo {

AllocatorKind DetectAllocator() {
  static const AllocatorKind kind = [] {
    // Replacement allocators first: glibc is still loaded beneath them.
    if (LookupSymbol("mallctl") != nullptr) return AllocatorKind::kJemalloc;
    if (LookupSymbol("MallocExtension_GetNumericProperty") != nullptr) {
      return AllocatorKind::kTcmalloc;
    }
    const Glibc& glibc = Glibc::Get();
    if (glibc.LibcVersion() == nullptr || !(glibc.HasMallinfo2() || glibc.HasMallinfo())) {
      return AllocatorKind::kUnknown;  // not glibc (musl), or glibc without statistics
    }
    // An allocator we do not know may have replaced malloc.
    return glibc.ServesMalloc() ? AllocatorKind::kGlibc : AllocatorKind::kUnknown;
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

const char* AllocatorVersion() {
  switch (DetectAllocator()) {
    case AllocatorKind::kGlibc: return Glibc::Get().LibcVersion();
    case AllocatorKind::kJemalloc: return Jemalloc::Get().Version();
    case AllocatorKind::kTcmalloc: return Tcmalloc::Get().Version();
    case AllocatorKind::kUnknown: break;
  }
  return nullptr;
}

bool HasHeapStats() {
  switch (DetectAllocator()) {
    case AllocatorKind::kGlibc: return true;  // DetectAllocator checked mallinfo
    case AllocatorKind::kJemalloc: return Jemalloc::Get().Available();
    case AllocatorKind::kTcmalloc: return Tcmalloc::Get().Available();
    case AllocatorKind::kUnknown: break;
  }
  return false;
}

int FillHeap(double* buffer) {
  switch (DetectAllocator()) {
    case AllocatorKind::kGlibc:
      return Glibc::Get().FillMallinfo(buffer + kArena);
    case AllocatorKind::kJemalloc:
      return Jemalloc::Get().Fill(buffer + kJemallocAllocated) ? kHeapJemalloc : kHeapNone;
    case AllocatorKind::kTcmalloc:
      return Tcmalloc::Get().Fill(buffer + kTcmallocAllocated) ? kHeapTcmalloc : kHeapNone;
    case AllocatorKind::kUnknown: break;
  }
  return kHeapNone;
}

bool CanTrimHeap() {
  switch (DetectAllocator()) {
    case AllocatorKind::kGlibc: return Glibc::Get().HasTrim();
    case AllocatorKind::kJemalloc: return Jemalloc::Get().Available();
    case AllocatorKind::kTcmalloc: return Tcmalloc::Get().CanRelease();
    case AllocatorKind::kUnknown: break;
  }
  return false;
}

int TrimHeap(size_t pad) {
  switch (DetectAllocator()) {
    case AllocatorKind::kGlibc: return Glibc::Get().Trim(pad);
    case AllocatorKind::kJemalloc: return Jemalloc::Get().Purge() == 0 ? 1 : -1;
    case AllocatorKind::kTcmalloc: return Tcmalloc::Get().Release() ? 1 : -1;
    case AllocatorKind::kUnknown: break;
  }
  return -1;
}

}  // namespace mallinfo
