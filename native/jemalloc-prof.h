// jemalloc's heap profiler through mallctl: whether it profiles, and heap
// profile dumps on demand. Works only under a jemalloc started with
// MALLOC_CONF=prof:true (Debian's libjemalloc2 is built with profiling).
#pragma once

namespace mallinfo {

enum class JemallocProfiling {
  kNoJemalloc,  // no mallctl in the process
  kOff,         // jemalloc without opt.prof, or prof.active false
  kOn,
};

JemallocProfiling JemallocProfilingState();

// mallctl("prof.dump") to `path`: a heap_v2 profile of the sampled live
// allocations (stacks as return addresses, then /proc/self/maps). Returns
// mallctl's result: 0 on success, an errno value (EFAULT: could not write,
// ENOENT: profiling off); -1 without jemalloc.
int JemallocProfDump(const char* path);

}  // namespace mallinfo
