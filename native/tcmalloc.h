// gperftools tcmalloc's statistics and release through its C API
// (MallocExtension_*), looked up at run time: tcmalloc is usually
// LD_PRELOADed and replaces mallinfo() but not mallinfo2(), so glibc's
// numbers would be silently wrong under it.
#pragma once

namespace mallinfo {

class Tcmalloc {
 public:
  // Resolved once per process; safe to call from any thread.
  static const Tcmalloc& Get();

  // Whether MallocExtension_GetNumericProperty exists and answers for every
  // property read below.
  bool Available() const { return available_; }

  // tc_version()'s string (e.g. "gperftools 2.10"), or nullptr.
  const char* Version() const { return version_; }

  // Writes kTcmallocFieldCount values (see layout.h) into out. Returns false
  // (out untouched) if a property could not be read. Allocates nothing:
  // each property is a fixed string and a size_t on the stack.
  bool Fill(double* out) const;

  bool CanRelease() const { return available_ && release_ != nullptr; }

  // MallocExtension_ReleaseFreeMemory(): returns the page heap's free spans
  // to the kernel (madvise). Returns false when unavailable.
  bool Release() const;

 private:
  Tcmalloc();

  using GetPropertyFn = int (*)(const char*, unsigned long*);
  using ReleaseFn = void (*)();
  using VersionFn = const char* (*)(int*, int*, const char**);

  GetPropertyFn get_property_ = nullptr;
  ReleaseFn release_ = nullptr;
  const char* version_ = nullptr;
  bool available_ = false;
};

}  // namespace mallinfo
