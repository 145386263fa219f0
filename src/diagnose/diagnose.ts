/**
 * `diagnose()`: leak or fragmentation? A verdict over samples, from the
 * trends of their floors (robust statistics, never first-vs-last) and from
 * the resident memory nobody accounts for.
 * @packageDocumentation
 */
import { adviceFor, summaryFor } from './advice';
import { withoutForcedOwnGcs, type Collection } from './collections';
import { resolveDiagnoseOptions, type ResolvedDiagnoseOptions } from './diagnose-options';
import type { DiagnoseOptions, Diagnosis, Evidence, Finding, FindingKind, NativeSeries, SampleWindow, Verdict } from './diagnose-types';
import { invalidType } from '../core/errors';
import { keptRise, leakFinding, countTrims, samplesAfter, samplesAfterFalls } from './findings';
import { fragmentationFinding, unexplainedMemory } from './fragmentation';
import { MIN_FORCED, NATIVE_NAMES, nativeSeriesOf, outsideMallocChoice, uncountedRise } from './native-series';
import { analyzeSeries, fallTimes, type FloorChoice, type FloorEvents, type SeriesAnalysis } from './series';
import { median } from './stats';
import type { MemorySample } from '../core/types';

export { resolveDiagnoseOptions, type ResolvedDiagnoseOptions } from './diagnose-options';

/**
 * Confidence cap without allocator statistics (RSS alone cannot tell a leak
 * from growing fragmentation), and for a V8 leak without full-GC times.
 */
const NO_HEAP_CAP = 0.75;
/** The highest score of a leak that no collection confirmed (see findings.ts). */
const WEAK_LEAK = 0.6;
/** A second leak is reported beside the first only if it grows at least this share as fast. */
const SECONDARY_LEAK_SHARE = 0.1;

/** Whether `value` is a finite number (null allowed where a field may be missing). */
const finite = (value: unknown): boolean => typeof value === 'number' && Number.isFinite(value);

/** What is wrong with a sample, or null: the fields diagnose() reads must be finite numbers. */
function sampleProblem(s: Partial<MemorySample> | null): string | null {
  if (s === null || typeof s !== 'object' || s.v8 === null || typeof s.v8 !== 'object') return 'not an object with v8';
  if (!finite(s.time)) return 'time';
  for (const k of ['used', 'physical', 'external'] as const) if (!finite(s.v8[k])) return `v8.${k}`;
  if (s.heap !== null && s.heap !== undefined) {
    for (const k of ['inUse', 'free'] as const) if (!finite(s.heap[k])) return `heap.${k}`;
  }
  if (s.process !== null && s.process !== undefined) {
    for (const k of ['resident', 'shared'] as const) if (!finite(s.process[k])) return `process.${k}`;
  }
  return null;
}

/** Checks the samples (TypeError naming the bad one and its field) and returns them oldest first. */
function orderedSamples(samples: unknown): readonly MemorySample[] {
  if (!Array.isArray(samples)) throw invalidType('samples', 'an array of samples', samples);
  let ordered = true;
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i] as Partial<MemorySample> | null;
    const problem = sampleProblem(s);
    if (problem !== null) {
      const what = problem.includes(' ') ? '' : ` (${problem} must be a finite number)`;
      throw invalidType(`samples[${i}]`, `a MemorySample (from sample() or a Sampler)${what}`, s);
    }
    if (i > 0 && (s as MemorySample).time < (samples[i - 1] as MemorySample).time) ordered = false;
  }
  const list = samples as MemorySample[];
  return ordered ? list : [...list].sort((a, b) => a.time - b.time);
}

function sampleWindow(list: readonly MemorySample[]): SampleWindow {
  const n = list.length;
  const start = n > 0 ? list[0].time : Number.NaN;
  const end = n > 0 ? list[n - 1].time : Number.NaN;
  const gaps = list.slice(1).map((s, i) => s.time - list[i].time);
  return { samples: n, start, end, durationMs: n > 0 ? end - start : 0, intervalMs: median(gaps) };
}

/**
 * Tells a native leak, a V8 leak and allocator fragmentation apart, from
 * samples of one process (e.g. `sampler.history()`; sorted by time here).
 *
 * Leaks are judged from floors: the troughs each series returns to after a
 * burst, fitted with a Theil–Sen slope and tested with Mann–Kendall, so a
 * sawtooth that returns to the same floor is not a leak however high its
 * peaks. Fragmentation is judged from the resident memory that neither
 * in-use nor V8 explains, and from glibc's free bytes, so a trim does not
 * flip it. The README documents every evidence field.
 *
 * @param samples - samples of one process, at least `minSamples` over `minDurationMs` for a verdict
 * @param options - thresholds, see {@link DiagnoseOptions}
 * @example
 * ```ts
 * const d = diagnose(sampler.history());
 * if (d.verdict !== 'stable') log.warn(d.summary, d.advice);
 * ```
 */
export function diagnose(samples: readonly MemorySample[], options?: DiagnoseOptions): Diagnosis {
  const opts = resolveDiagnoseOptions(options);
  const list = orderedSamples(samples);
  const window = sampleWindow(list);
  const heapStats = list.length > 0 && list.every((s) => s.heap !== null);
  const processStats = list.length > 0 && list.every((s) => s.process !== null);
  const evidence: Evidence = {
    window,
    heapStats,
    inUse: null,
    resident: null,
    nativeResident: null,
    outsideMalloc: null,
    uncountedRise: null,
    v8Used: null,
    v8External: null,
    nativeSeries: null,
    unexplained: null,
    trims: null,
    gcs: 0,
    fullGcs: null,
    forcedCollections: 0,
    collections: null,
    findings: [],
    secondary: [],
    notes: [],
  };
  if (list.length < 2) return conclude('insufficient-data', 0, evidence, opts);

  const toSeconds = (time: number): number => (time - window.start) / 1000;
  const seconds = list.map((s) => toSeconds(s.time));
  const analyze = (value: (s: MemorySample) => number, floor?: FloorChoice, events?: FloorEvents): SeriesAnalysis =>
    analyzeSeries(seconds, list.map(value), opts.maxPoints, floor, events);

  // Floors: readings right after collections, and the full collections as
  // the events after which a level counts as held. Without collection
  // records, the full-collection times if given, else the falls of v8.used.
  const inWindow = (t: number): boolean => t >= window.start && t <= window.end;
  const collections = opts.collections ? withoutForcedOwnGcs(opts.collections.filter((c) => inWindow(c.time))) : null;
  // With the Sampler's own full collections (collectEveryMs) often enough,
  // the readings after full collections (its own and V8's) are live memory,
  // with no garbage to allow for: they alone are the floors. V8's own count
  // too for V8's heap (in-use: see inUseAfter below): each is one more
  // reading of live memory, so the floor's pace has more points (a fresh
  // generator run: 211 of 229 cases right with them, 204 with the
  // Sampler's alone, the same 4 wrong).
  const forced = collections?.filter((c) => c.forced === true) ?? [];
  const exact = forced.length >= MIN_FORCED ? collections!.filter((c) => c.kind === 'major') : null;
  const floorCollections = exact ?? collections;
  const fullGcTimes = floorCollections
    ? floorCollections.filter((c) => c.kind === 'major').map((c) => c.time)
    : (opts.fullGcTimes?.filter(inWindow) ?? null);
  const afterFalls = samplesAfterFalls(list);
  const events = (fullGcTimes ?? afterFalls.map((i) => list[i].time)).map(toSeconds);
  const readings = (pick: (c: Collection) => number | null): FloorEvents => {
    const list = (floorCollections ?? []).flatMap((c) => {
      const value = pick(c);
      return value === null ? [] : [{ at: toSeconds(c.time), value }];
    });
    // Oldest first: a Sampler records its own collection before V8's entries for earlier GCs reach it.
    list.sort((a, b) => a.at - b.at);
    // Exact only where the Sampler's collections read this series (no in-use without allocator statistics).
    const isExact = exact !== null && list.length >= MIN_FORCED;
    // Each exact reading is its own floor event: a collection without a reading of this series has nothing to add.
    return { exact: isExact, events: isExact ? list.map((r) => r.at) : events, readings: list };
  };
  // A native series' own falls show garbage given back: freed Buffers
  // return their memory to malloc when V8 collects them, whatever the kind.
  const withOwnFalls = (value: (s: MemorySample) => number, pick: (c: Collection) => number | null): FloorEvents => {
    const base = readings(pick);
    if (exact) return base;
    const own = fallTimes(list.map(value), opts.leakMinBytes / 4).map((i) => seconds[i]);
    return { ...base, events: [...base.events, ...own].sort((a, b) => a - b) };
  };
  const inUseValue = (s: MemorySample): number => s.heap!.inUse;
  const nativeValue = (s: MemorySample): number => s.process!.resident - s.process!.shared - s.v8.physical;
  // In-use after one of V8's own full collections still holds the Buffers it
  // found dead: their memory goes back to malloc on V8's sweeper thread
  // afterwards (a forced collection runs two GCs to wait for it). Read so,
  // a steady workload's in-use stood up to 70 MB above live memory; with
  // forced collections, only theirs are read.
  const inUseAfter = (c: Collection): number | null => (exact && c.forced !== true ? null : c.inUse);
  const inUse = heapStats ? analyze(inUseValue, undefined, withOwnFalls(inUseValue, inUseAfter)) : null;
  const nativeResident = processStats ? analyze(nativeValue, undefined, withOwnFalls(nativeValue, () => null)) : null;
  evidence.inUse = inUse?.evidence ?? null;
  evidence.resident = processStats ? analyze((s) => s.process!.resident).evidence : null;
  evidence.nativeResident = nativeResident?.evidence ?? null;
  // A size: never below 0 (malloc's free bytes may be partly not resident, so the difference can be).
  const outsideValue = (s: MemorySample): number => Math.max(0, nativeValue(s) - s.heap!.inUse - s.heap!.free);
  if (heapStats && processStats) evidence.outsideMalloc = analyze(outsideValue, undefined, withOwnFalls(outsideValue, () => null)).evidence;
  evidence.uncountedRise = uncountedRise(list, window);
  const afterFullGcs = fullGcTimes ? samplesAfter(list, fullGcTimes) : [];
  let v8Floor: FloorChoice | undefined;
  if (afterFullGcs.length > 0) v8Floor = { method: 'full-gcs', indices: afterFullGcs };
  else if (afterFalls.length > 0) v8Floor = { method: 'gcs', indices: afterFalls };
  evidence.v8Used = analyze((s) => s.v8.used, v8Floor, readings((c) => c.v8Used)).evidence;
  evidence.gcs = afterFalls.length;
  evidence.fullGcs = fullGcTimes?.length ?? null;
  evidence.collections = collections?.length ?? null;
  // External memory read after the Sampler's own collections only (see nativeSeriesOf).
  const externalValue = (s: MemorySample): number => s.v8.external;
  const externalAfter = (c: Collection): number | null => (c.forced === true ? (c.v8External ?? null) : null);
  evidence.v8External = analyze(externalValue, undefined, withOwnFalls(externalValue, externalAfter)).evidence;
  evidence.nativeSeries = nativeSeriesOf(forced, evidence, opts.leakMinBytes);
  if (heapStats && processStats) {
    evidence.unexplained = unexplainedMemory(list);
    evidence.trims = countTrims(list);
  }
  if (!heapStats) {
    evidence.notes.push(
      'No allocator statistics (heap is null: musl, or an allocator not yet supported): only RSS and V8 can be judged. ' +
        'A native leak is judged from RSS outside V8 and file pages, which cannot tell a leak from an allocator keeping more and more; fragmentation cannot be judged.',
    );
  }
  evidence.forcedCollections = forced.length;
  if (exact) {
    // What they cost, said beside what they bought: the pauses are the
    // program's. Only when every one was timed (collections passed in may
    // carry durationMs: null), never a sum that counts an unknown as 0.
    const timed = forced.every((c) => c.durationMs !== null);
    const pausedMs = forced.reduce((sum, c) => sum + (c.durationMs ?? 0), 0);
    const share = window.durationMs > 0 ? ` (${((100 * pausedMs) / window.durationMs).toFixed(1)} % of the window)` : '';
    const cost = timed ? ` The Sampler's collections paused the program ${Math.round(pausedMs)} ms in all${share}.` : '';
    evidence.notes.push(
      `${forced.length} full collections run by the Sampler (collectEveryMs), ${exact.length} full collections in all: the floors are the readings right after them, which hold live memory only.${cost}`,
    );
  }
  if (fullGcTimes === null) {
    evidence.notes.push(
      "Full garbage collection times unknown (a Sampler records them): collections are inferred from falls of V8's heap, " +
        'where old objects that died still count until the next full one, so a V8 leak is called with confidence 0.75 at most.',
    );
  }
  if (!processStats) evidence.notes.push('No RSS in some samples (/proc/self/statm unreadable): fragmentation cannot be judged.');
  if (evidence.trims) {
    evidence.notes.push(
      `RSS fell ${evidence.trims} time(s) while in-use and free memory did not: trims, which return pages but leave glibc's free bytes (fordblks) in place.`,
    );
  }
  if (window.samples < opts.minSamples || window.durationMs < opts.minDurationMs) {
    return conclude('insufficient-data', 0, evidence, opts);
  }

  const findings = evidence.findings;
  // Whether any collection ran in the window's last third (null: not known).
  const collectedLate = collections === null ? null : collections.some((c) => c.time - window.start >= (2 * window.durationMs) / 3);
  const duration = window.durationMs;
  const nativeFindingOf = (series: NativeSeries): Finding =>
    leakFinding('native-leak', evidence[series]!, opts, NATIVE_NAMES[series], duration, { afterFullCollectionsOnly: false, collectedLate });
  const firstChoice = evidence.nativeSeries === null ? null : nativeFindingOf(evidence.nativeSeries);
  const chosen = outsideMallocChoice(evidence, firstChoice, exact === null, opts.leakMinBytes, nativeFindingOf);
  evidence.nativeSeries = chosen.series;
  const nativeFinding = chosen.finding;
  const native = evidence.nativeSeries === null ? null : evidence[evidence.nativeSeries];
  if (nativeFinding) findings.push(nativeFinding);
  findings.push(leakFinding('v8-leak', evidence.v8Used!, opts, "V8's heap after collections", duration, { afterFullCollectionsOnly: fullGcTimes !== null, collectedLate }));
  if (evidence.unexplained) findings.push(fragmentationFinding(evidence.unexplained, opts));
  if (evidence.nativeSeries === 'v8External') {
    evidence.notes.push(
      "After the Sampler's own collections, V8's external memory stood above malloc's in-use by a leak's size and more: an allocator other than malloc (a native addon's own) holds Buffers or ArrayBuffers, " +
        "so the native leak is judged from V8's external memory. That allocator's memory is resident but in none of malloc's statistics: fragmentation counts only what malloc holds free.",
    );
  }

  // The faster-growing leak is the verdict; fragmentation is one only without a confirmed leak.
  const series = (kind: FindingKind) => (kind === 'v8-leak' ? evidence.v8Used! : native!);
  const leaks = findings.filter((f) => f.found && f.kind !== 'fragmentation').sort((a, b) => keptRise(series(b.kind)) - keptRise(series(a.kind)));
  const fragmentation = findings.find((f) => f.found && f.kind === 'fragmentation');
  // A leak no collection confirmed (score at most WEAK_LEAK) does not
  // override fragmentation, which explains the same rising RSS.
  const primary: Finding | undefined = fragmentation && (leaks[0]?.score ?? 0) <= WEAK_LEAK ? fragmentation : (leaks[0] ?? fragmentation);
  for (const leak of leaks.filter((l) => l !== primary)) {
    if (primary === fragmentation) {
      evidence.secondary.push(leak);
      continue;
    }
    const share = keptRise(series(leak.kind)) / keptRise(series(primary!.kind));
    if (share >= SECONDARY_LEAK_SHARE) evidence.secondary.push(leak);
    else evidence.notes.push(`Also growing, ${(100 * share).toFixed(1)} % as much, likely from the same cause: ${leak.summary}.`);
  }
  if (fragmentation && primary !== fragmentation) evidence.secondary.push(fragmentation);
  for (const f of findings) {
    if (f.state === 'levelled') evidence.notes.push(`Levelled off (warm-up, or a cache reaching its size): ${f.summary}.`);
  }
  // Memory that rose and did not come back is never called stable: without
  // a finding, a rise the samples cannot yet explain means no verdict yet.
  if (!primary && findings.some((f) => f.state === 'unclear')) return conclude('insufficient-data', 0, evidence, opts);

  let confidence = primary ? primary.score : Math.min(...findings.map((f) => 1 - f.score));
  if (!heapStats || (primary?.kind === 'v8-leak' && evidence.fullGcs === null)) confidence = Math.min(confidence, NO_HEAP_CAP);
  return conclude(primary?.kind ?? 'stable', confidence, evidence, opts, list[list.length - 1].v8.limit);
}

function conclude(
  verdict: Verdict,
  confidence: number,
  evidence: Evidence,
  opts: ResolvedDiagnoseOptions,
  v8Limit: number | null = null,
): Diagnosis {
  return {
    verdict,
    confidence,
    summary: summaryFor(verdict, evidence, opts),
    evidence,
    advice: adviceFor(verdict, evidence, opts, v8Limit),
  };
}
