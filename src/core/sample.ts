/**
 * `sample()`: one reading of allocator, kernel and V8 into a typed object.
 * The addon writes into one preallocated Float64Array, so measuring does
 * not call malloc and does not change what it measures.
 * @packageDocumentation
 */
import { getHeapStatistics } from 'node:v8';
import { binding, HEAP_JEMALLOC, HEAP_MALLINFO, HEAP_MALLINFO2, HEAP_TCMALLOC } from './native';
import type { GlibcHeapStats, HeapStats, JemallocHeapStats, MemorySample, ProcessStats, TcmallocHeapStats } from './types';

const L = binding.layout;
const buffer = binding.buffer;

function readGlibc(source: number): GlibcHeapStats {
  const arena = buffer[L.arena];
  const hblkhd = buffer[L.hblkhd];
  const uordblks = buffer[L.uordblks];
  const fordblks = buffer[L.fordblks];
  return {
    allocator: 'glibc',
    inUse: uordblks + hblkhd,
    free: fordblks,
    mapped: arena + hblkhd,
    mmapped: hblkhd,
    exact: source === HEAP_MALLINFO2,
    mallinfo: {
      arena,
      ordblks: buffer[L.ordblks],
      smblks: buffer[L.smblks],
      hblks: buffer[L.hblks],
      hblkhd,
      usmblks: buffer[L.usmblks],
      fsmblks: buffer[L.fsmblks],
      uordblks,
      fordblks,
      keepcost: buffer[L.keepcost],
    },
  };
}

function readJemalloc(): JemallocHeapStats {
  const jemalloc = {
    allocated: buffer[L.jemallocAllocated],
    active: buffer[L.jemallocActive],
    resident: buffer[L.jemallocResident],
    mapped: buffer[L.jemallocMapped],
    retained: buffer[L.jemallocRetained],
    metadata: buffer[L.jemallocMetadata],
    dirty: buffer[L.jemallocDirty],
    muzzy: buffer[L.jemallocMuzzy],
  };
  return {
    allocator: 'jemalloc',
    inUse: jemalloc.allocated,
    // Free space inside active pages, plus freed pages not yet returned.
    free: jemalloc.active - jemalloc.allocated + jemalloc.dirty + jemalloc.muzzy,
    mapped: jemalloc.mapped,
    mmapped: null,
    exact: true,
    jemalloc,
  };
}

function readTcmalloc(): TcmallocHeapStats {
  const tcmalloc = {
    currentAllocated: buffer[L.tcmallocAllocated],
    heapSize: buffer[L.tcmallocHeapSize],
    pageheapFree: buffer[L.tcmallocPageheapFree],
    pageheapUnmapped: buffer[L.tcmallocPageheapUnmapped],
    centralCacheFree: buffer[L.tcmallocCentralCacheFree],
    transferCacheFree: buffer[L.tcmallocTransferCacheFree],
    threadCacheFree: buffer[L.tcmallocThreadCacheFree],
  };
  return {
    allocator: 'tcmalloc',
    inUse: tcmalloc.currentAllocated,
    free: tcmalloc.pageheapFree + tcmalloc.centralCacheFree + tcmalloc.transferCacheFree + tcmalloc.threadCacheFree,
    mapped: tcmalloc.heapSize - tcmalloc.pageheapUnmapped,
    mmapped: null,
    exact: true,
    tcmalloc,
  };
}

function readHeap(): HeapStats | null {
  const source = buffer[L.heapSource];
  switch (source) {
    case HEAP_MALLINFO2:
    case HEAP_MALLINFO:
      return readGlibc(source);
    case HEAP_JEMALLOC:
      return readJemalloc();
    case HEAP_TCMALLOC:
      return readTcmalloc();
    default:
      return null;
  }
}

function readProcess(): ProcessStats | null {
  if (buffer[L.statmOk] !== 1) return null;
  return {
    virtual: buffer[L.statmSize],
    resident: buffer[L.statmResident],
    shared: buffer[L.statmShared],
    text: buffer[L.statmText],
    data: buffer[L.statmData],
  };
}

/**
 * Takes one sample of the C allocator (glibc `mallinfo2`, jemalloc
 * `mallctl`, tcmalloc `MallocExtension`), the kernel (`/proc/self/statm`)
 * and V8 (`v8.getHeapStatistics()`).
 *
 * Costs a few microseconds on a fresh process; `mallinfo2` walks every
 * free chunk under the arena locks, so on a heap with a million free chunks
 * it costs milliseconds, and jemalloc's epoch refresh costs tens of
 * microseconds: `costNs` says what this one cost.
 *
 * @example
 * ```ts
 * const s = sample();
 * console.log(s.heap?.inUse, s.process?.resident, s.v8.used);
 * ```
 */
export function sample(): MemorySample {
  binding.fill();
  const v8 = getHeapStatistics();
  return {
    time: buffer[L.timeMs],
    costNs: buffer[L.fillNs],
    heap: readHeap(),
    process: readProcess(),
    v8: {
      total: v8.total_heap_size,
      used: v8.used_heap_size,
      physical: v8.total_physical_size,
      external: v8.external_memory,
      malloced: v8.malloced_memory,
      limit: v8.heap_size_limit,
    },
  };
}

/**
 * The allocator part of a sample alone, and what reading it cost: what an
 * exporter's scrape needs (RSS and V8 have their own metrics there), without
 * the statm read and V8's statistics that `sample()` adds.
 */
export function sampleHeap(): { heap: HeapStats | null; costNs: number } {
  binding.fillHeap();
  return { heap: readHeap(), costNs: buffer[L.fillNs] };
}

/** Resident set size in bytes from statm, or null when unreadable (for trim). */
export function readResident(): number | null {
  binding.fill();
  return buffer[L.statmOk] === 1 ? buffer[L.statmResident] : null;
}
