/**
 * Native memory that JavaScript does not see (zlib, OpenSSL, libuv,
 * addons): two jemalloc heap profiles of one process, diffed by allocation
 * stack, the growing stacks symbolized. The process must run under
 * jemalloc with its profiler on:
 * `LD_PRELOAD=libjemalloc.so.2 MALLOC_CONF=prof:true,lg_prof_sample:17`
 * (`mallinfo run --attribute-native` sets both).
 * @packageDocumentation
 */
import { readFileSync } from 'node:fs';
import { formatBytes } from '../cli/format';
import { growingStacks, parseJemallocProfile } from './jemalloc-profile';
import { binding } from '../core/native';
import { Symbolizer, type NativeFrame } from './native-symbols';
import { PprofBuilder } from './pprof-builder';

export type { NativeFrame } from './native-symbols';

/** A stack whose live allocations grew. */
export interface NativeGrowth {
  /** Innermost first, jemalloc's own frames left out. */
  stack: NativeFrame[];
  /** Estimated bytes allocated there since the baseline and still live. */
  bytes: number;
  /** Estimated allocations. */
  objects: number;
}

/** What grew in native memory between two jemalloc heap profiles. */
export interface NativeAttributionReport {
  /** jemalloc's sampling period, bytes: growth much smaller than it is noise. */
  samplePeriod: number;
  /** Over every stack that grew, but for the heap profiler's own. */
  added: { bytes: number; objects: number };
  /** What V8's heap profiler itself kept for the snapshots (ids and names of objects), bytes. */
  heapProfilerBytes: number;
  /** Largest first. */
  stacks: NativeGrowth[];
}

/** Whether jemalloc's heap profiler runs in this process (true/false), or null without jemalloc. */
export function jemallocProfiling(): boolean | null {
  return binding.jemallocProfiling();
}

/**
 * Writes a jemalloc heap profile of this process to `path` (mallctl
 * `prof.dump`). Call after a full collection for a floor.
 * @throws Error when jemalloc's profiler is not on or the file cannot be written.
 */
export function dumpJemallocProfile(path: string): void {
  if (typeof path !== 'string' || path === '') throw new TypeError(`path must be a non-empty string, got ${typeof path}`);
  const state = binding.jemallocProfiling();
  if (state !== true) {
    throw new Error(
      state === null
        ? 'jemalloc is not the allocator: run under LD_PRELOAD=libjemalloc.so.2 with MALLOC_CONF=prof:true'
        : "jemalloc's heap profiler is off: run with MALLOC_CONF=prof:true",
    );
  }
  const result = binding.jemallocProfDump(path);
  if (result !== 0) throw new Error(`mallctl prof.dump to ${path} failed with error ${result}`);
}

const JEMALLOC_FILE = /libjemalloc/;
/** Growing stacks symbolized at most (the largest): the rest are left as numbers in `added`. */
const MAX_STACKS_SYMBOLIZED = 500;
/**
 * V8's heap profiler keeps what the snapshots needed (object ids, names)
 * for the life of the process: attribution's own cost, not the program's.
 */
const HEAP_PROFILER_FRAME = /v8::internal::(HeapSnapshotGenerator|V8HeapExplorer|HeapObjectsMap|HeapProfiler|SamplingHeapProfiler|RootsReferencesExtractor|NativeObjectsExplorer)::/;
/** Frames that make a call site. */
const MERGE_FRAMES = 6;

/** Options of {@link analyzeJemallocProfiles}. */
export interface NativeAnalyzeOptions {
  /** Stacks kept, largest first (default 10). */
  maxStacks?: number;
  /** The profiled process's pid, to read its `--perf-basic-prof` map for JIT frames. */
  pid?: number;
}

/** Diffs two heap_v2 profiles of one process (baseline first) and symbolizes the stacks that grew. */
export function analyzeJemallocProfiles(baselinePath: string, finalPath: string, options: NativeAnalyzeOptions = {}): NativeAttributionReport {
  const before = parseJemallocProfile(readFileSync(baselinePath, 'utf8'));
  const after = parseJemallocProfile(readFileSync(finalPath, 'utf8'));
  const all = growingStacks(before, after, Number.MAX_SAFE_INTEGER);
  const symbolizer = new Symbolizer(after.mappings, options.pid ?? null);
  // Stacks that differ only in return addresses deeper down (another thread, another caller of
  // the caller) are one call site here: merged by their first frames' names.
  const merged = new Map<string, NativeGrowth>();
  let heapProfilerBytes = 0;
  const added = { bytes: 0, objects: 0 };
  for (const s of all.slice(0, MAX_STACKS_SYMBOLIZED)) {
    const stack = s.addresses.map((a) => symbolizer.frame(a)).filter((f) => !JEMALLOC_FILE.test(f.file));
    if (stack.some((f) => HEAP_PROFILER_FRAME.test(f.name))) {
      heapProfilerBytes += s.bytes;
      continue;
    }
    added.bytes += s.bytes;
    added.objects += s.objects;
    const key = stack.slice(0, MERGE_FRAMES).map((f) => f.name).join('\n');
    const was = merged.get(key);
    if (was) {
      was.bytes += s.bytes;
      was.objects += s.objects;
    } else merged.set(key, { stack, bytes: s.bytes, objects: s.objects });
  }
  const stacks = [...merged.values()].sort((a, b) => b.bytes - a.bytes).slice(0, options.maxStacks ?? 10);
  return {
    samplePeriod: after.samplePeriod,
    added,
    heapProfilerBytes,
    stacks,
  };
}

/** Removes C++ parameter lists, template arguments and anonymous namespaces: `node::ZlibContext::Init`. */
export function shortName(name: string): string {
  let out = name.replace(/\(anonymous namespace\)::/g, '');
  for (const [open, close] of [['(', ')'], ['<', '>']]) {
    let result = '';
    let depth = 0;
    for (const c of out) {
      if (c === open) depth++;
      if (depth === 0) result += c;
      if (c === close && depth > 0) depth--;
    }
    out = result;
  }
  return out.replace(/\s+const$/, '').trim() || name;
}

const FRAMES_SHOWN = 4;

/** The report as lines of text. */
export function nativeAttributionLines(report: NativeAttributionReport, stacks = 5): string[] {
  const lines = [
    `native memory that grew (jemalloc heap profiler, a sample every ${formatBytes(report.samplePeriod)}): ` +
      `${formatBytes(report.added.bytes)} in ~${Math.round(report.added.objects).toLocaleString('en-US')} allocations`,
  ];
  if (report.heapProfilerBytes > 0) lines[0] += ` (and ${formatBytes(report.heapProfilerBytes)} kept by V8's heap profiler for the snapshots)`;
  if (report.stacks.length === 0) lines.push('  no allocation stack grew between the two profiles');
  for (const s of report.stacks.slice(0, stacks)) {
    const frames = s.stack.slice(0, FRAMES_SHOWN).map((f) => shortName(f.name));
    const file = s.stack.find((f) => f.file !== '' && !/\/libc\.so|\/libstdc\+\+/.test(f.file))?.file;
    lines.push(
      `  ${formatBytes(s.bytes)} in ~${Math.round(s.objects).toLocaleString('en-US')} allocations: ${frames.join(' ← ')}` +
        (file ? ` (${file.split('/').pop()})` : ''),
    );
  }
  return lines;
}

/** The growing stacks as a gzipped pprof profile (objects/count, space/bytes). */
export function nativePprof(report: NativeAttributionReport): Buffer {
  const builder = new PprofBuilder([
    ['objects', 'count'],
    ['space', 'bytes'],
  ]);
  for (const s of report.stacks) {
    builder.add(
      s.stack.map((f) => ({ name: shortName(f.name), file: f.file, line: 0 })),
      [s.objects, s.bytes],
    );
  }
  return builder.encode();
}
