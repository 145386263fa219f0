// A trim off the event loop (glibc malloc_trim, jemalloc purge, tcmalloc
// release): the trim runs on the libuv threadpool and
// a promise resolves with RSS read around it. A trim of a fragmented heap
// of hundreds of MB takes tens of milliseconds; the loop keeps running.
#pragma once

#include <napi.h>

#include <cstddef>

namespace mallinfo {

// Queues TrimHeap(pad) on the threadpool and returns a promise of
// { rc, statmOk, rssBefore, rssAfter, durationNs }: the trim's return
// value (-1 when it does not exist), whether both statm reads succeeded,
// RSS in bytes read on the worker thread just before and just after the
// trim, and the trim's own duration (CLOCK_MONOTONIC).
Napi::Promise QueueTrim(Napi::Env env, size_t pad);

}  // namespace mallinfo
