#include "jemalloc-prof.h"

#include <cstddef>

#include "symbols.h"

namespace mallinfo {
namespace {

using MallctlFn = int (*)(const char*, void*, size_t*, void*, size_t);

MallctlFn Mallctl() {
  static const MallctlFn mallctl = LookupFunction<MallctlFn>("mallctl");
  return mallctl;
}

bool ReadBool(MallctlFn mallctl, const char* name) {
  bool value = false;
  size_t length = sizeof(value);
  return mallctl(name, &value, &length, nullptr, 0) == 0 && value;
}

}  // namespace

JemallocProfiling JemallocProfilingState() {
  const MallctlFn mallctl = Mallctl();
  if (mallctl == nullptr) return JemallocProfiling::kNoJemalloc;
  // opt.prof fails (ENOENT) on a jemalloc built without profiling.
  return ReadBool(mallctl, "opt.prof") && ReadBool(mallctl, "prof.active") ? JemallocProfiling::kOn
                                                                           : JemallocProfiling::kOff;
}

int JemallocProfDump(const char* path) {
  const MallctlFn mallctl = Mallctl();
  if (mallctl == nullptr) return -1;
  return mallctl("prof.dump", nullptr, nullptr, &path, sizeof(path));
}

}  // namespace mallinfo
