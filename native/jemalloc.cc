#include "jemalloc.h"

#include <cstdint>

#include "layout.h"
#include "symbols.h"

namespace mallinfo {
namespace {

// jemalloc's MALLCTL_ARENAS_ALL: the pseudo-arena index meaning "all arenas"
// (stats summed over them; purge applied to each).
#define ARENAS_ALL "4096"

}  // namespace

Jemalloc::Jemalloc() {
  mallctl_ = LookupFunction<MallctlFn>("mallctl");
  name_to_mib_ = LookupFunction<NameToMibFn>("mallctlnametomib");
  by_mib_ = LookupFunction<ByMibFn>("mallctlbymib");
  if (mallctl_ == nullptr || name_to_mib_ == nullptr || by_mib_ == nullptr) return;

  size_t length = sizeof(version_);
  if (mallctl_("version", &version_, &length, nullptr, 0) != 0) version_ = nullptr;
  size_t page = 0;
  length = sizeof(page);
  if (mallctl_("arenas.page", &page, &length, nullptr, 0) != 0 || page == 0) return;
  page_ = static_cast<double>(page);

  // Resolving every name now keeps string parsing off the hot path, and a
  // jemalloc without statistics (--disable-stats) or older than 5.0 (no
  // muzzy pages) fails here, once, instead of reporting partial numbers.
  available_ =
      Resolve("epoch", &epoch_) && Resolve("stats.allocated", &allocated_) &&
      Resolve("stats.active", &active_) && Resolve("stats.resident", &resident_) &&
      Resolve("stats.mapped", &mapped_) && Resolve("stats.retained", &retained_) &&
      Resolve("stats.metadata", &metadata_) &&
      Resolve("stats.arenas." ARENAS_ALL ".pdirty", &dirty_pages_) &&
      Resolve("stats.arenas." ARENAS_ALL ".pmuzzy", &muzzy_pages_) &&
      Resolve("arenas.narenas", &narenas_) &&
      Resolve("arena." ARENAS_ALL ".purge", &purge_) &&
      Resolve("stats.arenas.0.nthreads", &arena_threads_) &&
      Resolve("stats.arenas.0.small.allocated", &arena_small_) &&
      Resolve("stats.arenas.0.large.allocated", &arena_large_) &&
      Resolve("stats.arenas.0.pactive", &arena_active_pages_) &&
      Resolve("stats.arenas.0.pdirty", &arena_dirty_pages_) &&
      Resolve("stats.arenas.0.pmuzzy", &arena_muzzy_pages_) &&
      Resolve("stats.arenas.0.mapped", &arena_mapped_) &&
      Resolve("stats.arenas.0.retained", &arena_retained_) &&
      Resolve("stats.arenas.0.resident", &arena_resident_);
  // The first refresh initialises jemalloc's ctl state (from its own
  // metadata allocator, not malloc): do it here rather than in a sample.
  if (available_) available_ = RefreshEpoch();
}

const Jemalloc& Jemalloc::Get() {
  static const Jemalloc instance;  // thread-safe initialisation (C++11)
  return instance;
}

bool Jemalloc::Resolve(const char* name, Mib* mib) const {
  mib->length = sizeof(mib->parts) / sizeof(mib->parts[0]);
  return name_to_mib_(name, mib->parts, &mib->length) == 0;
}

template <typename T>
bool Jemalloc::Read(const Mib& mib, double* out) const {
  T value{};
  size_t length = sizeof(value);
  if (by_mib_(mib.parts, mib.length, &value, &length, nullptr, 0) != 0) return false;
  *out = static_cast<double>(value);
  return true;
}

template <typename T>
bool Jemalloc::ReadArena(Mib mib, unsigned index, double* out) const {
  mib.parts[2] = index;
  return Read<T>(mib, out);
}

bool Jemalloc::RefreshEpoch() const {
  uint64_t epoch = 1;
  size_t length = sizeof(epoch);
  return by_mib_(epoch_.parts, epoch_.length, &epoch, &length, &epoch, sizeof(epoch)) == 0;
}

bool Jemalloc::Fill(double* out) const {
  if (!available_ || !RefreshEpoch()) return false;
  double v[kJemallocFieldCount];
  const bool ok = Read<size_t>(allocated_, &v[0]) && Read<size_t>(active_, &v[1]) &&
                  Read<size_t>(resident_, &v[2]) && Read<size_t>(mapped_, &v[3]) &&
                  Read<size_t>(retained_, &v[4]) && Read<size_t>(metadata_, &v[5]) &&
                  Read<size_t>(dirty_pages_, &v[6]) && Read<size_t>(muzzy_pages_, &v[7]);
  if (!ok) return false;
  v[6] *= page_;
  v[7] *= page_;
  for (int i = 0; i < kJemallocFieldCount; ++i) out[i] = v[i];
  return true;
}

int Jemalloc::Purge() const {
  if (!available_) return -1;
  return by_mib_(purge_.parts, purge_.length, nullptr, nullptr, nullptr, 0);
}

int Jemalloc::ArenaCount() const {
  double count = 0;
  if (!available_ || !Read<unsigned>(narenas_, &count)) return -1;
  return static_cast<int>(count);
}

bool Jemalloc::ArenaStats(unsigned index, JemallocArenaStats* out) const {
  if (!available_) return false;
  double small = 0, large = 0;
  JemallocArenaStats s{};
  const bool ok = ReadArena<unsigned>(arena_threads_, index, &s.threads) &&
                  ReadArena<size_t>(arena_small_, index, &small) &&
                  ReadArena<size_t>(arena_large_, index, &large) &&
                  ReadArena<size_t>(arena_active_pages_, index, &s.active) &&
                  ReadArena<size_t>(arena_dirty_pages_, index, &s.dirty) &&
                  ReadArena<size_t>(arena_muzzy_pages_, index, &s.muzzy) &&
                  ReadArena<size_t>(arena_mapped_, index, &s.mapped) &&
                  ReadArena<size_t>(arena_retained_, index, &s.retained) &&
                  ReadArena<size_t>(arena_resident_, index, &s.resident);
  if (!ok) return false;
  s.allocated = small + large;
  s.active *= page_;
  s.dirty *= page_;
  s.muzzy *= page_;
  *out = s;
  return true;
}

}  // namespace mallinfo
