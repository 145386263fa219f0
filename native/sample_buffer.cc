#include "sample_buffer.h"

#include <string.h>

namespace mallinfo {

SampleBuffer::SampleBuffer(Napi::Env env)
    : array_(Napi::Persistent(Napi::Float64Array::New(env, kSlotCount))) {}

bool SampleBuffer::Publish(Napi::Env env) {
  Napi::HandleScope scope(env);
  Napi::Float64Array array = array_.Value();
  // A detached array reports length 0 and a null data pointer; check both,
  // and the ArrayBuffer's own flag, before writing a byte.
  if (array.ArrayBuffer().IsDetached() || array.ElementLength() != kSlotCount) {
    return false;
  }
  double* data = array.Data();
  if (data == nullptr) return false;
  memcpy(data, slots_, sizeof slots_);
  return true;
}

}  // namespace mallinfo
