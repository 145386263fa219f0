#include "tcmalloc.h"

#include "layout.h"
#include "symbols.h"

namespace mallinfo {
namespace {

// In layout order (kTcmallocAllocated ...): gperftools' property names.
const char* const kProperties[kTcmallocFieldCount] = {
    "generic.current_allocated_bytes",  "generic.heap_size",
    "tcmalloc.pageheap_free_bytes",     "tcmalloc.pageheap_unmapped_bytes",
    "tcmalloc.central_cache_free_bytes", "tcmalloc.transfer_cache_free_bytes",
    "tcmalloc.thread_cache_free_bytes",
};

}  // namespace

Tcmalloc::Tcmalloc() {
  get_property_ = LookupFunction<GetPropertyFn>("MallocExtension_GetNumericProperty");
  release_ = LookupFunction<ReleaseFn>("MallocExtension_ReleaseFreeMemory");
  if (auto version = LookupFunction<VersionFn>("tc_version")) {
    int major = 0, minor = 0;
    const char* patch = nullptr;
    version_ = version(&major, &minor, &patch);
  }
  double probe[kTcmallocFieldCount];
  available_ = get_property_ != nullptr;
  available_ = available_ && Fill(probe);
}

const Tcmalloc& Tcmalloc::Get() {
  static const Tcmalloc instance;  // thread-safe initialisation (C++11)
  return instance;
}

bool Tcmalloc::Fill(double* out) const {
  if (get_property_ == nullptr) return false;
  double v[kTcmallocFieldCount];
  for (int i = 0; i < kTcmallocFieldCount; ++i) {
    unsigned long value = 0;  // size_t in gperftools' C API
    if (!get_property_(kProperties[i], &value)) return false;
    v[i] = static_cast<double>(value);
  }
  for (int i = 0; i < kTcmallocFieldCount; ++i) out[i] = v[i];
  return true;
}

bool Tcmalloc::Release() const {
  if (!CanRelease()) return false;
  release_();
  return true;
}

}  // namespace mallinfo
