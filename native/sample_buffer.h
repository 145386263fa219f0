// The sample buffer: the slots Fill() writes, owned by the addon, and the
// Float64Array that JS reads them from. The addon never writes through a
// pointer into JS memory that it got earlier: JS can detach the array
// (transfer its ArrayBuffer) and V8 then frees the storage, so each
// Publish() looks the array up again, checks it is still attached and whole,
// and only then copies the slots into it.
#pragma once

#include <napi.h>

#include "layout.h"

namespace mallinfo {

class SampleBuffer {
 public:
  // Creates the Float64Array of kSlotCount elements that JS reads.
  explicit SampleBuffer(Napi::Env env);

  // The JS array, to export.
  Napi::Float64Array Array() const { return array_.Value(); }

  // The addon's own slots: what the allocator and statm readers fill.
  double* Slots() { return slots_; }

  // Copies the slots into the JS array. Returns false, leaving JS memory
  // untouched, when the array was detached (or is not its full length).
  bool Publish(Napi::Env env);

 private:
  double slots_[kSlotCount] = {};
  Napi::Reference<Napi::Float64Array> array_;
};

}  // namespace mallinfo
