/**
 * mallinfo: what the C allocator holds, next to what the kernel and V8 see.
 * @packageDocumentation
 */
export { sample } from './sample';
export { Sampler } from './sampler';
export type { SamplerOptions, SamplerEvents } from './sampler';
export { trimSync } from './trim';
export type { TrimOptions, TrimResult } from './trim';
export { allocator } from './allocator';
export type { AllocatorInfo, AllocatorKind } from './allocator';
export { UnsupportedError } from './errors';
export type { MemorySample, HeapStats, MallinfoFields, ProcessStats, V8Stats } from './types';
export type {
  HeapAllocator,
  HeapStatsCommon,
  GlibcHeapStats,
  JemallocHeapStats,
  TcmallocHeapStats,
  JemallocFields,
  TcmallocFields,
} from './types';
