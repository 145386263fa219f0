// jemalloc's statistics and purge through mallctl, looked up at run time
// (jemalloc is usually LD_PRELOADed; the addon never links against it).
// Needs jemalloc >= 5 built with statistics (the default); otherwise
// Available() is false and the heap is reported as unknown, never as zeros.
#pragma once

#include <cstddef>

namespace mallinfo {

// One arena's numbers, from stats.arenas.<i>.*; sizes in bytes.
struct JemallocArenaStats {
  double threads;     // nthreads: threads bound to the arena
  double allocated;   // small.allocated + large.allocated
  double active;      // pactive × page
  double dirty;       // pdirty × page: free pages not yet purged (resident)
  double muzzy;       // pmuzzy × page: pages purged lazily (MADV_FREE)
  double mapped;      // mapped
  double retained;    // retained: address space kept, pages returned
  double resident;    // resident
};

class Jemalloc {
 public:
  // Resolved once per process; safe to call from any thread.
  static const Jemalloc& Get();

  // Whether mallctl exists and every statistic below could be resolved.
  bool Available() const { return available_; }

  // The `version` mallctl (e.g. "5.3.0-0-g54eaed1..."), or nullptr.
  const char* Version() const { return version_; }

  // Refreshes `epoch`, then writes kJemallocFieldCount values (see
  // layout.h) into out. Returns false (out untouched) if a read failed.
  // Allocates nothing: the MIBs were resolved at start-up and every
  // out-param is on the stack; the refresh merges arena statistics using
  // stack arrays only.
  bool Fill(double* out) const;

  // arena.<MALLCTL_ARENAS_ALL>.purge: returns every arena's dirty and muzzy
  // pages to the kernel now, instead of after their decay time. Returns
  // mallctl's result (0 on success), -1 when unavailable.
  int Purge() const;

  // arenas.narenas: the arena slots (not all need be initialised). -1 if
  // unavailable.
  int ArenaCount() const;

  // Advances `epoch`, so that the statistics read next are current.
  bool RefreshEpoch() const;

  // Statistics of arena `index` as of the last epoch refresh. Returns false
  // when the arena is not initialised or a read failed.
  bool ArenaStats(unsigned index, JemallocArenaStats* out) const;

 private:
  Jemalloc();

  using MallctlFn = int (*)(const char*, void*, size_t*, void*, size_t);
  using NameToMibFn = int (*)(const char*, size_t*, size_t*);
  using ByMibFn = int (*)(const size_t*, size_t, void*, size_t*, void*, size_t);

  // A MIB (the parsed form of a dotted name): up to 6 components suffice
  // for every name used here.
  struct Mib {
    size_t parts[6];
    size_t length = 0;
  };

  bool Resolve(const char* name, Mib* mib) const;
  template <typename T>
  bool Read(const Mib& mib, double* out) const;
  // Reads stats.arenas.<index>.…: the arena index is the MIB's third part.
  template <typename T>
  bool ReadArena(Mib mib, unsigned index, double* out) const;

  MallctlFn mallctl_ = nullptr;
  NameToMibFn name_to_mib_ = nullptr;
  ByMibFn by_mib_ = nullptr;
  bool available_ = false;
  const char* version_ = nullptr;
  double page_ = 0;
  Mib epoch_, allocated_, active_, resident_, mapped_, retained_, metadata_,
      dirty_pages_, muzzy_pages_, narenas_, purge_;
  // stats.arenas.0.*, with the index replaced per read.
  Mib arena_threads_, arena_small_, arena_large_, arena_active_pages_,
      arena_dirty_pages_, arena_muzzy_pages_, arena_mapped_, arena_retained_,
      arena_resident_;
};

}  // namespace mallinfo
