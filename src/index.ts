/**
 * mallinfo: what the C allocator holds, next to what the kernel and V8 see.
 * @packageDocumentation
 */
export { sample } from './sample';
export { Sampler } from './sampler';
export type { SamplerOptions, SamplerEvents } from './sampler';
export { trimSync, trim } from './trim';
export type { MeasuredTrimResult, TrimOptions, TrimResult } from './trim';
export { allocator } from './allocator';
export type { AllocatorInfo, AllocatorKind } from './allocator';
export { UnsupportedError } from './errors';
export type { MemorySample, HeapStats, MallinfoFields, ProcessStats, V8Stats } from './types';
export { arenas } from './arenas';
export type { ArenaReport, GlibcArenaReport, JemallocArenaReport } from './arenas';
export type { JemallocArena } from './jemalloc-arenas';
export { parseMallocInfo, MallocInfoParseError } from './malloc-info';
export type { ArenaStats, ChunkTotal, FreeBin, FreeChunks, MallocInfo, MallocInfoTotals } from './malloc-info';
export { mallocSettings } from './malloc-settings';
export type { MallocSetting, MallocSettings, SettingSource } from './malloc-settings';
export { processMemory } from './process-memory';
export type { ProcessMemory, ProcessMemoryOptions, ProcessStatus, SmapsRollup } from './process-memory';
export type { AutoTrimEvent, AutoTrimOptions, AutoTrimStats } from './auto-trim';
export type {
  HeapAllocator,
  HeapStatsCommon,
  GlibcHeapStats,
  JemallocHeapStats,
  TcmallocHeapStats,
  JemallocFields,
  TcmallocFields,
} from './types';
export { formatSampleLine, sampleLogFields } from './log-line';
export type { SampleLogFields } from './log-line';
export { diagnose } from './diagnose';
export type {
  DiagnoseOptions,
  Diagnosis,
  Evidence,
  Finding,
  FindingKind,
  SampleWindow,
  UnexplainedMemory,
  Verdict,
} from './diagnose-types';
export type { FloorMethod, FloorTrend, SeriesEvidence } from './series';
export type { Trend } from './stats';
