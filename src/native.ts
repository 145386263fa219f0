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
  | 'statmLib' | 'statmData' | 'statmDt' | 'timeMs' | 'fillNs';

/** What the addon says about the allocator (see native/allocator.cc). */
export interface NativeAllocatorInfo {
  kind: 'glibc' | 'jemalloc' | 'tcmalloc' | 'unknown';
  glibcVersion: string | null;
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

/** The addon's exports (native/binding.cc). */
export interface NativeBinding {
  readonly layout: Readonly<Record<SlotName | 'length', number>>;
  readonly pageSize: number;
  bind(buffer: Float64Array): void;
  fill(): void;
  trim(pad: number): number;
  trimAsync(pad: number): Promise<NativeTrimResult>;
  allocator(): NativeAllocatorInfo;
  mallocInfo(): string | null;
}

/** Value of `heapSource`: which glibc call filled the heap slots. */
export const HEAP_NONE = 0;
export const HEAP_MALLINFO2 = 1;
export const HEAP_MALLINFO = 2;

export const binding: NativeBinding = nodeGypBuild(path.join(__dirname, '..')) as NativeBinding;
