#include "glibc.h"

#include <cstdio>
#include <cstdlib>

#include "layout.h"
#include "symbols.h"

namespace mallinfo {
namespace {

// Declared here rather than taken from <malloc.h> so that the build does not
// depend on the headers' glibc version (struct mallinfo2 needs >= 2.33
// headers) and compiles against musl. Layouts are glibc's ABI.
struct Mallinfo2Fields {
  size_t arena, ordblks, smblks, hblks, hblkhd, usmblks, fsmblks, uordblks,
      fordblks, keepcost;
};
struct MallinfoFields {
  int arena, ordblks, smblks, hblks, hblkhd, usmblks, fsmblks, uordblks,
      fordblks, keepcost;
};
using Mallinfo2Fn = Mallinfo2Fields (*)();
using MallinfoFn = MallinfoFields (*)();
using MallocInfoFn = int (*)(int, FILE*);

// mallinfo()'s int fields hold the low 32 bits of a size_t sum: reading them
// as unsigned is right below 4 GiB (where int would turn negative at 2 GiB).
double Unsigned32(int v) { return static_cast<double>(static_cast<unsigned int>(v)); }

// Counts malloc_info's "<heap nr=" elements as the document is written,
// without keeping it: a scrape wants the number, not ~1.5 KB per arena of
// XML turned into a JS string. '<' only starts the tag, so a mismatch
// restarts the match at '<' or at nothing.
constexpr char kHeapTag[] = "<heap nr=";
constexpr size_t kHeapTagLength = sizeof(kHeapTag) - 1;
struct HeapTagCounter {
  int count = 0;
  size_t matched = 0;
};

ssize_t CountHeapTags(void* cookie, const char* data, size_t size) {
  auto* counter = static_cast<HeapTagCounter*>(cookie);
  for (size_t i = 0; i < size; ++i) {
    if (data[i] == kHeapTag[counter->matched]) {
      if (++counter->matched == kHeapTagLength) {
        ++counter->count;
        counter->matched = 0;
      }
    } else {
      counter->matched = data[i] == '<' ? 1 : 0;
    }
  }
  return static_cast<ssize_t>(size);
}

}  // namespace

Glibc::Glibc() {
  libc_version_ = LookupFunction<const char* (*)()>("gnu_get_libc_version");
  if (libc_version_ == nullptr) return;  // not glibc: nothing below is glibc's
  mallinfo2_ = LookupSymbol("mallinfo2");
  mallinfo_ = LookupSymbol("mallinfo");
  malloc_trim_ = LookupFunction<int (*)(size_t)>("malloc_trim");
  malloc_info_ = LookupSymbol("malloc_info");
}

const Glibc& Glibc::Get() {
  static const Glibc instance;  // thread-safe initialisation (C++11)
  return instance;
}

const char* Glibc::LibcVersion() const {
  return libc_version_ != nullptr ? libc_version_() : nullptr;
}

int Glibc::FillMallinfo(double* out) const {
  if (mallinfo2_ != nullptr) {
    const Mallinfo2Fields m = reinterpret_cast<Mallinfo2Fn>(mallinfo2_)();
    out[0] = static_cast<double>(m.arena);
    out[1] = static_cast<double>(m.ordblks);
    out[2] = static_cast<double>(m.smblks);
    out[3] = static_cast<double>(m.hblks);
    out[4] = static_cast<double>(m.hblkhd);
    out[5] = static_cast<double>(m.usmblks);
    out[6] = static_cast<double>(m.fsmblks);
    out[7] = static_cast<double>(m.uordblks);
    out[8] = static_cast<double>(m.fordblks);
    out[9] = static_cast<double>(m.keepcost);
    return kHeapMallinfo2;
  }
  if (mallinfo_ != nullptr) {
    const MallinfoFields m = reinterpret_cast<MallinfoFn>(mallinfo_)();
    out[0] = Unsigned32(m.arena);
    out[1] = Unsigned32(m.ordblks);
    out[2] = Unsigned32(m.smblks);
    out[3] = Unsigned32(m.hblks);
    out[4] = Unsigned32(m.hblkhd);
    out[5] = Unsigned32(m.usmblks);
    out[6] = Unsigned32(m.fsmblks);
    out[7] = Unsigned32(m.uordblks);
    out[8] = Unsigned32(m.fordblks);
    out[9] = Unsigned32(m.keepcost);
    return kHeapMallinfo;
  }
  return kHeapNone;
}

bool Glibc::ServesMalloc() const {
  static const bool serves = [this] {
    // Comparing addresses cannot tell: mimalloc also replaces glibc's
    // __libc_malloc, and a non-PIE executable (Node <= 24's official
    // builds) holds a canonical PLT address for malloc. So allocate and ask
    // glibc whether it saw it. 64 KiB stays below the mmap threshold:
    // freeing an mmapped chunk would raise glibc's dynamic threshold and
    // change how this process allocates from then on.
    // Other threads may free at the same moment and hide the probe from one
    // look (seen in a vitest worker: 1 load in 10 said "unknown"), so look
    // several times: under a replacement allocator glibc's counters do not
    // move at all, so no number of looks makes it seem to serve malloc.
    constexpr size_t kProbe = 64 * 1024;
    constexpr int kLooks = 16;
    for (int look = 0; look < kLooks; ++look) {
      double before[10], after[10];
      if (FillMallinfo(before) == kHeapNone) return false;
      void* volatile block = malloc(kProbe);
      FillMallinfo(after);
      free(block);
      // In use is uordblks + hblkhd (out[7] + out[4]).
      if ((after[7] + after[4]) - (before[7] + before[4]) >= kProbe / 2) return true;
    }
    return false;
  }();
  return serves;
}

int Glibc::Trim(size_t pad) const {
  return malloc_trim_ != nullptr ? malloc_trim_(pad) : -1;
}

bool Glibc::MallocInfo(std::string* xml) const {
  if (malloc_info_ == nullptr) return false;
  char* data = nullptr;
  size_t size = 0;
  FILE* stream = open_memstream(&data, &size);
  if (stream == nullptr) return false;
  const int rc = reinterpret_cast<MallocInfoFn>(malloc_info_)(0, stream);
  const bool closed = fclose(stream) == 0;
  const bool ok = rc == 0 && closed && data != nullptr;
  if (ok) xml->assign(data, size);
  free(data);
  return ok;
}

int Glibc::ArenaCount() const {
  if (malloc_info_ == nullptr) return -1;
  HeapTagCounter counter;
  cookie_io_functions_t io = {nullptr, CountHeapTags, nullptr, nullptr};
  FILE* stream = fopencookie(&counter, "w", io);
  if (stream == nullptr) return -1;
  // The stream's buffer on the stack: stdio would otherwise malloc one.
  char buffer[4096];
  setvbuf(stream, buffer, _IOFBF, sizeof buffer);
  const int rc = reinterpret_cast<MallocInfoFn>(malloc_info_)(0, stream);
  const bool closed = fclose(stream) == 0;
  return rc == 0 && closed ? counter.count : -1;
}

}  // namespace mallinfo
