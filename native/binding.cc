// Module glue only: exports, argument checks and per-instance state. The
// numbers come from allocator.cc (which picks glibc.cc, jemalloc.cc or
// tcmalloc.cc) and procfs.cc.
#include <napi.h>

#include <time.h>

#include <string>

#include "allocator.h"
#include "glibc.h"
#include "jemalloc.h"
#include "jemalloc-prof.h"
#include "layout.h"
#include "procfs.h"
#include "sample_buffer.h"
#include "trim_worker.h"

namespace mallinfo {
namespace {

const char* const kSlotNames[kSlotCount] = {
    "heapSource", "arena",    "ordblks",  "smblks",    "hblks",
    "hblkhd",     "usmblks",  "fsmblks",  "uordblks",  "fordblks",
    "keepcost",   "statmOk",  "statmSize", "statmResident", "statmShared",
    "statmText",  "statmLib", "statmData", "statmDt",   "timeMs",
    "fillNs",
    "jemallocAllocated", "jemallocActive", "jemallocResident", "jemallocMapped",
    "jemallocRetained", "jemallocMetadata", "jemallocDirty", "jemallocMuzzy",
    "tcmallocAllocated", "tcmallocHeapSize", "tcmallocPageheapFree",
    "tcmallocPageheapUnmapped", "tcmallocCentralCacheFree",
    "tcmallocTransferCacheFree", "tcmallocThreadCacheFree"};

double MonotonicNs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) * 1e9 + static_cast<double>(ts.tv_nsec);
}

double RealtimeMs() {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

// One instance per Node environment (main thread, each worker thread): the
// statm descriptor and the bound sample buffer die with their environment.
class Addon : public Napi::Addon<Addon> {
 public:
  Addon(Napi::Env env, Napi::Object exports)
      : glibc_(DetectAllocator() == AllocatorKind::kGlibc), buffer_(env) {
    // Resolve the backend now, so that its one-time set-up (symbol lookups,
    // jemalloc's MIBs and first epoch) is not part of the first sample.
    HasHeapStats();
    Napi::Object layout = Napi::Object::New(env);
    for (int i = 0; i < kSlotCount; ++i) layout.Set(kSlotNames[i], i);
    layout.Set("length", static_cast<double>(kSlotCount));
    // The one sample buffer of this instance, made here rather than passed
    // in: every copy of the JS layer that loads this addon (a bundler's, a
    // test runner's) reads the same array, and none can rebind another's.
    exports.Set("buffer", buffer_.Array());
    exports.Set("layout", layout);
    exports.Set("pageSize", static_cast<double>(StatmReader::PageSize()));
    DefineAddon(exports, {
        InstanceMethod("fill", &Addon::Fill),
        InstanceMethod("fillHeap", &Addon::FillHeapOnly),
        InstanceMethod("trim", &Addon::Trim),
        InstanceMethod("trimAsync", &Addon::TrimAsync),
        InstanceMethod("trimsRunning", &Addon::TrimsRunningNow),
        InstanceMethod("allocator", &Addon::Allocator),
        InstanceMethod("mallocInfo", &Addon::MallocInfo),
        InstanceMethod("arenaCount", &Addon::ArenaCount),
        InstanceMethod("jemallocArenas", &Addon::JemallocArenas),
        InstanceMethod("jemallocProfiling", &Addon::JemallocProfilingNow),
        InstanceMethod("jemallocProfDump", &Addon::JemallocProfDumpTo),
    });
  }

 private:
  // fill(): the hot path. Writes one sample into the exported buffer; creates
  // no JS value and calls no malloc.
  Napi::Value Fill(const Napi::CallbackInfo& info) {
    double* slots = buffer_.Slots();
    const double start = MonotonicNs();
    slots[kTimeMs] = RealtimeMs();
    slots[kHeapSource] = FillHeap(slots);
    slots[kStatmOk] = statm_.Read(slots + kStatmSize) ? 1 : 0;
    slots[kFillNs] = MonotonicNs() - start;
    return Publish(info.Env());
  }

  // fillHeap(): the allocator's slots and fillNs only, for the exporters,
  // whose scrape needs neither statm nor the clock.
  Napi::Value FillHeapOnly(const Napi::CallbackInfo& info) {
    double* slots = buffer_.Slots();
    const double start = MonotonicNs();
    slots[kHeapSource] = FillHeap(slots);
    slots[kFillNs] = MonotonicNs() - start;
    return Publish(info.Env());
  }

  Napi::Value Publish(Napi::Env env) {
    if (!buffer_.Publish(env)) {
      throw Napi::Error::New(env,
                             "the sample buffer was detached by JS (its ArrayBuffer "
                             "transferred): no sample can be written into it");
    }
    return env.Undefined();
  }

  // The pad argument of trim()/trimAsync(): a non-negative integer.
  static size_t PadArgument(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (info.Length() < 1 || !info[0].IsNumber()) {
      throw Napi::TypeError::New(env, "pad must be a number");
    }
    const double pad = info[0].As<Napi::Number>().DoubleValue();
    if (!(pad >= 0 && pad <= 9007199254740991.0)) {
      throw Napi::RangeError::New(env, "pad must be a non-negative integer");
    }
    return static_cast<size_t>(pad);
  }

  // trim(pad: number): TrimHeap(pad): 1 or 0 from the allocator, -1 if
  // unsupported (pad applies to glibc's malloc_trim only).
  Napi::Value Trim(const Napi::CallbackInfo& info) {
    return Napi::Number::New(info.Env(), TrimHeap(PadArgument(info)));
  }

  // trimAsync(pad: number): a promise of TrimHeap(pad) run on the libuv
  // threadpool, with RSS around it (see trim_worker.h). The JS layer refuses
  // allocators that cannot trim first.
  Napi::Value TrimAsync(const Napi::CallbackInfo& info) {
    const size_t pad = PadArgument(info);
    if (!CanTrimHeap()) {
      throw Napi::Error::New(info.Env(), "this allocator cannot trim");
    }
    return QueueTrim(info.Env(), pad);
  }

  // trimsRunning(): trims running now on any thread of the process.
  Napi::Value TrimsRunningNow(const Napi::CallbackInfo& info) {
    return Napi::Number::New(info.Env(), TrimsRunning());
  }

  // allocator(): what serves malloc and which glibc entry points exist.
  Napi::Value Allocator(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    const Glibc& glibc = Glibc::Get();
    Napi::Object result = Napi::Object::New(env);
    result.Set("kind", AllocatorName(DetectAllocator()));
    result.Set("version", StringOrNull(env, AllocatorVersion()));
    result.Set("glibcVersion", StringOrNull(env, glibc.LibcVersion()));
    result.Set("heapStats", HasHeapStats());
    result.Set("trim", CanTrimHeap());
    result.Set("mallinfo2", glibc.HasMallinfo2());
    result.Set("mallinfo", glibc.HasMallinfo());
    result.Set("mallocTrim", glibc.HasTrim());
    result.Set("mallocInfo", glibc.HasMallocInfo());
    result.Set("statm", statm_.IsOpen());
    return result;
  }

  // mallocInfo(): glibc's malloc_info XML, or null when unavailable.
  Napi::Value MallocInfo(const Napi::CallbackInfo& info) {
    std::string xml;
    if (!glibc_ || !Glibc::Get().MallocInfo(&xml)) {
      return info.Env().Null();
    }
    return Napi::String::New(info.Env(), xml);
  }

  // arenaCount(): the arena count (glibc: malloc_info's <heap> elements;
  // jemalloc: arenas.narenas), or null where neither tells it.
  Napi::Value ArenaCount(const Napi::CallbackInfo& info) {
    int count = -1;
    if (glibc_) {
      count = Glibc::Get().ArenaCount();
    } else if (DetectAllocator() == AllocatorKind::kJemalloc) {
      count = Jemalloc::Get().ArenaCount();
    }
    if (count < 0) return info.Env().Null();
    return Napi::Number::New(info.Env(), count);
  }

  // jemallocArenas(): { count, arenas: [...] } from arenas.narenas and
  // stats.arenas.<i>.*, or null when jemalloc's statistics are unavailable.
  Napi::Value JemallocArenas(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    const Jemalloc& jemalloc = Jemalloc::Get();
    const int count = jemalloc.ArenaCount();
    if (DetectAllocator() != AllocatorKind::kJemalloc || count < 0 ||
        !jemalloc.RefreshEpoch()) {
      return env.Null();
    }
    Napi::Array arenas = Napi::Array::New(env);
    for (int i = 0; i < count; ++i) {
      JemallocArenaStats s;
      if (!jemalloc.ArenaStats(static_cast<unsigned>(i), &s)) continue;  // not initialised
      Napi::Object arena = Napi::Object::New(env);
      arena.Set("index", i);
      arena.Set("threads", s.threads);
      arena.Set("allocated", s.allocated);
      arena.Set("active", s.active);
      arena.Set("dirty", s.dirty);
      arena.Set("muzzy", s.muzzy);
      arena.Set("mapped", s.mapped);
      arena.Set("retained", s.retained);
      arena.Set("resident", s.resident);
      arenas.Set(arenas.Length(), arena);
    }
    Napi::Object result = Napi::Object::New(env);
    result.Set("count", count);
    result.Set("arenas", arenas);
    return result;
  }

  // jemallocProfiling(): true/false under jemalloc (heap profiler on or
  // off), null without jemalloc.
  Napi::Value JemallocProfilingNow(const Napi::CallbackInfo& info) {
    const JemallocProfiling state = JemallocProfilingState();
    if (state == JemallocProfiling::kNoJemalloc) return info.Env().Null();
    return Napi::Boolean::New(info.Env(), state == JemallocProfiling::kOn);
  }

  // jemallocProfDump(path: string): mallctl's result (0 on success).
  Napi::Value JemallocProfDumpTo(const Napi::CallbackInfo& info) {
    if (info.Length() < 1 || !info[0].IsString()) {
      throw Napi::TypeError::New(info.Env(), "path must be a string");
    }
    const std::string path = info[0].As<Napi::String>().Utf8Value();
    return Napi::Number::New(info.Env(), JemallocProfDump(path.c_str()));
  }

  static Napi::Value StringOrNull(Napi::Env env, const char* text) {
    return text != nullptr ? Napi::Value(Napi::String::New(env, text)) : env.Null();
  }

  const bool glibc_;  // malloc_info is glibc's only
  StatmReader statm_;
  SampleBuffer buffer_;
};

}  // namespace
}  // namespace mallinfo

using AddonInstance = mallinfo::Addon;
NODE_API_ADDON(AddonInstance)
