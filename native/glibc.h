// glibc's malloc statistics and controls, all looked up at run time.
#pragma once

#include <cstddef>
#include <string>

namespace mallinfo {

class Glibc {
 public:
  // Resolved once per process; safe to call from any thread.
  static const Glibc& Get();

  // gnu_get_libc_version(), or nullptr when the C library is not glibc.
  const char* LibcVersion() const;
  bool HasMallinfo2() const { return mallinfo2_ != nullptr; }
  bool HasMallinfo() const { return mallinfo_ != nullptr; }
  bool HasTrim() const { return malloc_trim_ != nullptr; }
  bool HasMallocInfo() const { return malloc_info_ != nullptr; }

  // Writes the ten mallinfo fields (arena ... keepcost) into out[0..9] and
  // returns kHeapMallinfo2 or kHeapMallinfo; kHeapNone (out untouched) when
  // neither function exists. Allocates nothing.
  int FillMallinfo(double* out) const;

  // Whether glibc's allocator serves this process's malloc, rather than
  // another allocator (mimalloc, say) that replaces malloc while glibc's
  // mallinfo2 stays reachable and reports glibc's idle heap: zeros.
  // Computed once; the first call may cost two mallinfo2 walks.
  bool ServesMalloc() const;

  // malloc_trim(pad); -1 when the function does not exist.
  int Trim(size_t pad) const;

  // malloc_info(0, ...) as a string; false when unavailable or it failed.
  bool MallocInfo(std::string* xml) const;

  // The number of arenas malloc_info reports (its <heap> elements), counted
  // as it writes without keeping the document; -1 when unavailable.
  int ArenaCount() const;

 private:
  Glibc();

  void* mallinfo2_ = nullptr;
  void* mallinfo_ = nullptr;
  int (*malloc_trim_)(size_t) = nullptr;
  void* malloc_info_ = nullptr;
  const char* (*libc_version_)() = nullptr;
};

}  // namespace mallinfo
