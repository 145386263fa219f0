// Module glue only: exports, argument checks and per-instance state. The
// numbers come from glibc.cc, procfs.cc and allocator.cc.
#include <napi.h>

#include <time.h>

#include <string>

#include "allocator.h"
#include "glibc.h"
#include "layout.h"
#include "procfs.h"
#include "trim_worker.h"

namespace mallinfo {
namespace {

const char* const kSlotNames[kSlotCount] = {
    "heapSource", "arena",    "ordblks",  "smblks",    "hblks",
    "hblkhd",     "usmblks",  "fsmblks",  "uordblks",  "fordblks",
    "keepcost",   "statmOk",  "statmSize", "statmResident", "statmShared",
    "statmText",  "statmLib", "statmData", "statmDt",   "timeMs",
    "fillNs"};

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
      : heap_enabled_(DetectAllocator() == AllocatorKind::kGlibc) {
    Napi::Object layout = Napi::Object::New(env);
    for (int i = 0; i < kSlotCount; ++i) layout.Set(kSlotNames[i], i);
    layout.Set("length", static_cast<double>(kSlotCount));
    exports.Set("layout", layout);
    exports.Set("pageSize", static_cast<double>(StatmReader::PageSize()));
    DefineAddon(exports, {
        InstanceMethod("bind", &Addon::Bind),
        InstanceMethod("fill", &Addon::Fill),
        InstanceMethod("trim", &Addon::Trim),
        InstanceMethod("trimAsync", &Addon::TrimAsync),
        InstanceMethod("allocator", &Addon::Allocator),
        InstanceMethod("mallocInfo", &Addon::MallocInfo),
    });
  }

 private:
  // bind(buffer: Float64Array): the array that fill() writes into.
  Napi::Value Bind(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (info.Length() < 1 || !info[0].IsTypedArray() ||
        info[0].As<Napi::TypedArray>().TypedArrayType() != napi_float64_array) {
      throw Napi::TypeError::New(env, "buffer must be a Float64Array");
    }
    Napi::Float64Array array = info[0].As<Napi::Float64Array>();
    if (array.ElementLength() < static_cast<size_t>(kSlotCount)) {
      throw Napi::RangeError::New(
          env, "buffer must have at least " + std::to_string(kSlotCount) +
                   " elements");
    }
    buffer_ref_ = Napi::Persistent(array);
    buffer_ = array.Data();
    return env.Undefined();
  }

  // fill(): the hot path. Writes one sample into the bound buffer; creates
  // no JS value and calls no malloc.
  Napi::Value Fill(const Napi::CallbackInfo& info) {
    if (buffer_ == nullptr) {
      throw Napi::Error::New(info.Env(), "fill() called before bind()");
    }
    const double start = MonotonicNs();
    buffer_[kTimeMs] = RealtimeMs();
    buffer_[kHeapSource] =
        heap_enabled_ ? Glibc::Get().FillMallinfo(buffer_ + kArena) : kHeapNone;
    buffer_[kStatmOk] = statm_.Read(buffer_ + kStatmSize) ? 1 : 0;
    buffer_[kFillNs] = MonotonicNs() - start;
    return info.Env().Undefined();
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

  // trim(pad: number): malloc_trim(pad)'s return value, -1 if unavailable.
  Napi::Value Trim(const Napi::CallbackInfo& info) {
    const size_t pad = PadArgument(info);
    if (!heap_enabled_) return Napi::Number::New(info.Env(), -1);
    return Napi::Number::New(info.Env(), Glibc::Get().Trim(pad));
  }

  // trimAsync(pad: number): a promise of malloc_trim(pad) run on the libuv
  // threadpool, with RSS around it (see trim_worker.h). rc is -1 where
  // malloc_trim does not exist. The JS layer refuses other allocators first.
  Napi::Value TrimAsync(const Napi::CallbackInfo& info) {
    const size_t pad = PadArgument(info);
    if (!heap_enabled_) {
      throw Napi::Error::New(info.Env(), "malloc_trim needs the glibc allocator");
    }
    return QueueTrim(info.Env(), pad);
  }

  // allocator(): what serves malloc and which glibc entry points exist.
  Napi::Value Allocator(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    const Glibc& glibc = Glibc::Get();
    Napi::Object result = Napi::Object::New(env);
    result.Set("kind", AllocatorName(DetectAllocator()));
    const char* version = glibc.LibcVersion();
    result.Set("glibcVersion", version != nullptr ? Napi::Value(Napi::String::New(env, version))
                                                  : env.Null());
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
    if (!heap_enabled_ || !Glibc::Get().MallocInfo(&xml)) {
      return info.Env().Null();
    }
    return Napi::String::New(info.Env(), xml);
  }

  const bool heap_enabled_;
  StatmReader statm_;
  Napi::Reference<Napi::Float64Array> buffer_ref_;
  double* buffer_ = nullptr;
};

}  // namespace
}  // namespace mallinfo

using AddonInstance = mallinfo::Addon;
NODE_API_ADDON(AddonInstance)
