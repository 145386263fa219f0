#include "allocator.h"

#include <atomic>

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

namespace {
std::atomic<int> trims_running{0};

// Counts one TrimHeap call for as long as it runs.
class RunningTrim {
 public:
  RunningTrim() { trims_running.fetch_add(1, std::memory_order_relaxed); }
  ~RunningTrim() { trims_running.fetch_sub(1, std::memory_order_relaxed); }
  RunningTrim(const RunningTrim&) = delete;
  RunningTrim& operator=(const RunningTrim&) = delete;
};
}  // namespace

int TrimsRunning() { return trims_running.load(std::memory_order_relaxed); }

int TrimHeap(size_t pad) {
  const RunningTrim running;
  switch (DetectAllocator()) {
    case AllocatorKind::kGlibc: return Glibc::Get().Trim(pad);
    case AllocatorKind::kJemalloc: return Jemalloc::Get().Purge() == 0 ? 1 : -1;
    case AllocatorKind::kTcmalloc: return Tcmalloc::Get().Release() ? 1 : -1;
    case AllocatorKind::kUnknown: break;
  }
  return -1;
}

}  // namespace mallinfo
