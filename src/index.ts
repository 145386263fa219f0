/**
 * mallinfo: what the C allocator holds, next to what the kernel and V8 see.
 * @packageDocumentation
 */
export { sample } from './core/sample';
export { Sampler } from './sampler/sampler';
export { answerCollections } from './sampler/worker-collections';
export type { SamplerOptions, SamplerEvents } from './sampler/sampler';
export { trimSync, trim } from './trim/trim';
export type { MeasuredTrimResult, TrimOptions, TrimResult } from './trim/trim';
export { allocator } from './core/allocator';
export type { AllocatorInfo, AllocatorKind } from './core/allocator';
export { UnsupportedError } from './core/errors';
export type { MemorySample, HeapStats, MallinfoFields, ProcessStats, V8Stats } from './core/types';
export { arenas } from './arenas/arenas';
export type { ArenaReport, GlibcArenaReport, JemallocArenaReport } from './arenas/arenas';
export type { JemallocArena } from './arenas/jemalloc-arenas';
export { parseMallocInfo, MallocInfoParseError } from './arenas/malloc-info';
export type { ArenaStats, ChunkTotal, FreeBin, FreeChunks, MallocInfo, MallocInfoTotals } from './arenas/malloc-info';
export { mallocSettings } from './core/malloc-settings';
export type { MallocSetting, MallocSettings, SettingSource } from './core/malloc-settings';
export { processMemory } from './core/process-memory';
export type { ProcessMemory, ProcessMemoryOptions, ProcessStatus, SmapsRollup } from './core/process-memory';
export type { AutoTrimEvent, AutoTrimOptions, AutoTrimStats } from './sampler/auto-trim';
export type {
  HeapAllocator,
  HeapStatsCommon,
  GlibcHeapStats,
  JemallocHeapStats,
  TcmallocHeapStats,
  JemallocFields,
  TcmallocFields,
} from './core/types';
export { formatSampleLine, sampleLogFields } from './exporters/log-line';
export type { SampleLogFields } from './exporters/log-line';
export { diagnose } from './diagnose/diagnose';
export type {
  DiagnoseOptions,
  Diagnosis,
  Evidence,
  Finding,
  FindingKind,
  NativeSeries,
  SampleWindow,
  UnexplainedMemory,
  Verdict,
} from './diagnose/diagnose-types';
export type { Collection, CollectionKind } from './diagnose/collections';
export type { FloorMethod, FloorTrend, SeriesEvidence } from './diagnose/series';
export type { Trend } from './diagnose/stats';
