/**
 * Loads the native addon (a prebuild when one matches, else the local build)
 * and describes it to TypeScript. Nothing else in the package touches it.
 * @packageDocumentation
 */
import * as path from 'node:path';
import nodeGypBuild = require('node-gyp-build');

/** Names of the slots of the sample buffer, as the addon exports them. */
export type SlotName =
  | 'heapSource' | 'arena' | 'ordblks' | 'smblks' | 'hblks' | 'hblkhd'
  | 'usmblks' | 'fsmblks' | 'uordblks' | 'fordblks' | 'keepcost'
  | 'statmOk' | 'statmSize' | 'statmResident' | 'statmShared' | 'statmText'
  | 'statmLib' | 'statmData' | 'statmDt' | 'timeMs' | 'fillNs'
  | 'jemallocAllocated' | 'jemallocActive' | 'jemallocResident' | 'jemallocMapped'
  | 'jemallocRetained' | 'jemallocMetadata' | 'jemallocDirty' | 'jemallocMuzzy'
  | 'tcmallocAllocated' | 'tcmallocHeapSize' | 'tcmallocPageheapFree' | 'tcmallocPageheapUnmapped'
  | 'tcmallocCentralCacheFree' | 'tcmallocTransferCacheFree' | 'tcmallocThreadCacheFree';

/** What the addon says about the allocator (see native/allocator.cc). */
export interface NativeAllocatorInfo {
  kind: 'glibc' | 'jemalloc' | 'tcmalloc' | 'unknown';
  /** The allocator's own version string (gnu_get_libc_version, jemalloc's `version`, tc_version). */
  version: string | null;
  glibcVersion: string | null;
  /** Whether fill() gives heap numbers for this allocator. */
  heapStats: boolean;
  /** Whether trim() can return memory to the kernel here. */
  trim: boolean;
  mallinfo2: boolean;
  mallinfo: boolean;
  mallocTrim: boolean;
  mallocInfo: boolean;
  statm: boolean;
}

/** What the addon's threadpool trim resolves with (native/trim_worker.h). */
export interface NativeTrimResult {
  /** malloc_trim's return value; -1 when it does not exist. */
  rc: number;
  /** Whether /proc/self/statm was read before and after the trim. */
  statmOk: boolean;
  rssBefore: number;
  rssAfter: number;
  durationNs: number;
}

/** One initialised jemalloc arena; sizes in bytes. */
export interface JemallocArena {
  /** The arena's index (`<i>` in `stats.arenas.<i>`). */
  index: number;
  /** `nthreads`: threads currently bound to the arena. */
  threads: number;
  /** `small.allocated + large.allocated`: bytes the program holds from this arena. */
  allocated: number;
  /** `pactive` × page: bytes in pages holding allocations. */
  active: number;
  /** `pdirty` × page: freed pages not yet purged. */
  dirty: number;
  /** `pmuzzy` × page: pages purged lazily (`MADV_FREE`). */
  muzzy: number;
  /** `mapped`: bytes mapped for this arena. */
  mapped: number;
  /** `retained`: address space kept after its pages were returned. */
  retained: number;
  /** `resident`: resident bytes of this arena (a maximum). */
  resident: number;
}

/** What `jemallocArenas()` returns (the addon builds it: native/jemalloc.cc). */
export interface JemallocArenas {
  /** `arenas.narenas`: arena slots, initialised or not (jemalloc's default is 4 × CPUs). */
  count: number;
  /** The initialised arenas, by index. */
  arenas: JemallocArena[];
}

/** The addon's exports (native/binding.cc). */
export interface NativeBinding {
  readonly layout: Readonly<Record<SlotName | 'length', number>>;
  readonly pageSize: number;
  /** The Float64Array that fill() writes (one per addon instance). */
  readonly buffer: Float64Array;
  /** Writes one sample: allocator, statm, the wall clock and fillNs. */
  fill(): void;
  /** Writes the allocator's slots and fillNs only (the exporters' reading). */
  fillHeap(): void;
  trim(pad: number): number;
  trimAsync(pad: number): Promise<NativeTrimResult>;
  /** Trims running now on any thread of the process (this addon's, sync or async). */
  trimsRunning(): number;
  allocator(): NativeAllocatorInfo;
  mallocInfo(): string | null;
  /** The arena count (glibc: malloc_info's `<heap>` elements, counted natively; jemalloc: `arenas.narenas`); null elsewhere. */
  arenaCount(): number | null;
  /** `arenas.narenas` and each initialised arena's statistics; null unless jemalloc with statistics. */
  jemallocArenas(): JemallocArenas | null;
  /** Whether jemalloc's heap profiler is on (MALLOC_CONF=prof:true); null without jemalloc. */
  jemallocProfiling(): boolean | null;
  /** mallctl("prof.dump") to `path`: 0 on success, an errno value, -1 without jemalloc. */
  jemallocProfDump(path: string): number;
}

/** Value of `heapSource`: which allocator call filled the heap slots (native/layout.h). */
export const HEAP_NONE = 0;
export const HEAP_MALLINFO2 = 1;
export const HEAP_MALLINFO = 2;
export const HEAP_JEMALLOC = 3;
export const HEAP_TCMALLOC = 4;

export const binding: NativeBinding = nodeGypBuild(path.join(__dirname, '..', '..')) as NativeBinding;
