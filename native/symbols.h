// Run-time symbol lookup. Everything allocator-specific is found this way so
// that the addon has no link-time dependency on glibc >= 2.33 (mallinfo2),
// on jemalloc/tcmalloc, or on glibc at all (musl).
#pragma once

namespace mallinfo {

// dlsym(RTLD_DEFAULT, name): the first definition in the process's global
// scope (so an LD_PRELOADed allocator wins, as it does for malloc itself).
// Returns nullptr when no loaded object defines `name`.
void* LookupSymbol(const char* name);

template <typename Fn>
Fn LookupFunction(const char* name) {
  return reinterpret_cast<Fn>(LookupSymbol(name));
}

}  // namespace mallinfo
