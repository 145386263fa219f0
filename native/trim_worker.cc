#include "trim_worker.h"

#include <time.h>

#include "allocator.h"
#include "procfs.h"

namespace mallinfo {
namespace {

double MonotonicNs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) * 1e9 + static_cast<double>(ts.tv_nsec);
}

class TrimWorker : public Napi::AsyncWorker {
 public:
  TrimWorker(Napi::Env env, size_t pad, napi_deferred deferred)
      : Napi::AsyncWorker(env, "mallinfo:trim"), pad_(pad), deferred_(deferred) {}

  // On the loop thread, also while a worker thread's environment is being
  // torn down (its process.exit() or terminate()): JS cannot run then and
  // N-API calls fail. node-addon-api's OnOK path throws a C++ exception on
  // such a failure, which would end the whole process in std::terminate,
  // so the promise is settled with plain N-API calls whose failure only
  // means that nobody is left to see the result.
  void OnWorkComplete(Napi::Env env, napi_status status) override {
    if (status == napi_ok) Resolve(env);
    Destroy();
  }

 protected:
  // On a threadpool thread: no JS, no state of the environment that queued
  // the work (it may be torn down meanwhile). RSS is read here, right around
  // the trim, so that the time spent waiting for a free threadpool thread
  // is not counted as the trim's doing.
  void Execute() override {
    const StatmReader statm;  // its own descriptor, closed when Execute ends
    double before[StatmReader::kFieldCount];
    double after[StatmReader::kFieldCount];
    const bool read_before = statm.Read(before);
    const double start = MonotonicNs();
    rc_ = TrimHeap(pad_);
    duration_ns_ = MonotonicNs() - start;
    statm_ok_ = read_before && statm.Read(after);
    if (statm_ok_) {
      rss_before_ = before[kResidentField];
      rss_after_ = after[kResidentField];
    }
  }

 private:
  static constexpr int kResidentField = 1;  // statm: size resident shared ...

  static bool SetNumber(napi_env env, napi_value object, const char* name, double value) {
    napi_value number;
    return napi_create_double(env, value, &number) == napi_ok &&
           napi_set_named_property(env, object, name, number) == napi_ok;
  }

  void Resolve(napi_env env) {
    napi_handle_scope scope;
    if (napi_open_handle_scope(env, &scope) != napi_ok) return;
    napi_value result;
    napi_value statm_ok;
    const bool built = napi_create_object(env, &result) == napi_ok &&
                       SetNumber(env, result, "rc", rc_) &&
                       napi_get_boolean(env, statm_ok_, &statm_ok) == napi_ok &&
                       napi_set_named_property(env, result, "statmOk", statm_ok) == napi_ok &&
                       SetNumber(env, result, "rssBefore", rss_before_) &&
                       SetNumber(env, result, "rssAfter", rss_after_) &&
                       SetNumber(env, result, "durationNs", duration_ns_);
    if (built) napi_resolve_deferred(env, deferred_, result);
    napi_close_handle_scope(env, scope);
  }

  const size_t pad_;
  const napi_deferred deferred_;
  int rc_ = -1;
  bool statm_ok_ = false;
  double rss_before_ = 0;
  double rss_after_ = 0;
  double duration_ns_ = 0;
};

}  // namespace

Napi::Promise QueueTrim(Napi::Env env, size_t pad) {
  napi_deferred deferred;
  napi_value promise;
  NAPI_THROW_IF_FAILED(env, napi_create_promise(env, &deferred, &promise), Napi::Promise());
  // Deleted by its OnWorkComplete.
  TrimWorker* worker = new TrimWorker(env, pad, deferred);
  try {
    worker->Queue();
  } catch (...) {
    delete worker;  // never queued: no completion will delete it
    throw;
  }
  return Napi::Promise(env, promise);
}

}  // namespace mallinfo
