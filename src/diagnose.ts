/**
 * `diagnose()`: leak or fragmentation? A verdict over samples, from the
 * trends of their floors (robust statistics, never first-vs-last) and from
 * the resident memory nobody accounts for.
 * @packageDocumentation
 */
import { adviceFor, summaryFor } from './advice';
import type { DiagnoseOptions, Diagnosis, Evidence, Finding, FindingKind, SampleWindow, Verdict } from './diagnose-types';
import { invalidType } from './errors';
import { countTrims, fragmentationFinding, leakFinding, samplesAfter, samplesAfterFalls, unexplainedMemory } from './findings';
import { analyzeSeries, type FloorChoice, type SeriesAnalysis } from './series';
import { median } from './stats';
import type { MemorySample } from './types';
import { fractionOption, integerOption, optionsObject } from './validate';

const MiB = 1024 * 1024;
const KNOWN = [
  'minSamples',
  'minDurationMs',
  'leakMinBytes',
  'significance',
  'fragmentationMinBytes',
  'fragmentationMinShare',
  'maxPoints',
  'fullGcTimes',
] as const;

/** {@link DiagnoseOptions} with every default filled in. */
export type ResolvedDiagnoseOptions = Required<Omit<DiagnoseOptions, 'fullGcTimes'>> & {
  fullGcTimes: readonly number[] | null;
};

/**
 * Confidence cap without allocator statistics (RSS alone cannot tell a leak
 * from growing fragmentation), and for a V8 leak without full-GC times.
 */
const NO_HEAP_CAP = 0.75;
/** A second leak is reported beside the first only if it grows at least this share as fast. */
const SECONDARY_LEAK_SHARE = 0.1;

/** Validates diagnose options (TypeError/RangeError naming the option) and fills in the defaults. */
export function resolveDiagnoseOptions(options: unknown, name = 'options'): ResolvedDiagnoseOptions {
  const o = optionsObject(name, options, KNOWN);
  return {
    minSamples: integerOption(`${name}.minSamples`, o.minSamples, 20, 3),
    minDurationMs: integerOption(`${name}.minDurationMs`, o.minDurationMs, 1000, 0),
    leakMinBytes: integerOption(`${name}.leakMinBytes`, o.leakMinBytes, MiB, 1),
    significance: fractionOption(`${name}.significance`, o.significance, 0.01, 0, 1),
    fragmentationMinBytes: integerOption(`${name}.fragmentationMinBytes`, o.fragmentationMinBytes, 32 * MiB, 1),
    fragmentationMinShare: fractionOption(`${name}.fragmentationMinShare`, o.fragmentationMinShare, 0.25, 0, 1),
    maxPoints: integerOption(`${name}.maxPoints`, o.maxPoints, 60, 10, 5000),
    fullGcTimes: timesOption(`${name}.fullGcTimes`, o.fullGcTimes),
  };
}

function timesOption(name: string, value: unknown): readonly number[] | null {
  if (value === undefined) return null;
  if (!Array.isArray(value) || !value.every((t) => typeof t === 'number' && Number.isFinite(t))) {
    throw invalidType(name, 'an array of times in ms (finite numbers)', value);
  }
  return value as number[];
}

/** Checks the samples (TypeError naming the bad one) and returns them oldest first. */
function orderedSamples(samples: unknown): readonly MemorySample[] {
  if (!Array.isArray(samples)) throw invalidType('samples', 'an array of samples', samples);
  let ordered = true;
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i] as Partial<MemorySample> | null;
    if (s === null || typeof s !== 'object' || typeof s.time !== 'number' || s.v8 === null || typeof s.v8 !== 'object') {
      throw invalidType(`samples[${i}]`, 'a MemorySample (from sample() or a Sampler)', s);
    }
    if (i > 0 && s.time < (samples[i - 1] as MemorySample).time) ordered = false;
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
    v8Used: null,
    v8External: null,
    unexplained: null,
    trims: null,
    gcs: 0,
    fullGcs: null,
    findings: [],
    secondary: [],
    notes: [],
  };
  if (list.length < 2) return conclude('insufficient-data', 0, evidence, opts);

  const seconds = list.map((s) => (s.time - window.start) / 1000);
  const analyze = (value: (s: MemorySample) => number, floor?: FloorChoice): SeriesAnalysis =>
    analyzeSeries(seconds, list.map(value), opts.maxPoints, floor);
  const inUse = heapStats ? analyze((s) => s.heap!.inUse) : null;
  const nativeResident = processStats ? analyze((s) => s.process!.resident - s.process!.shared - s.v8.physical) : null;
  evidence.inUse = inUse?.evidence ?? null;
  evidence.resident = processStats ? analyze((s) => s.process!.resident).evidence : null;
  evidence.nativeResident = nativeResident?.evidence ?? null;
  // V8's floor is what is left after garbage collection: after full ones
  // when their times are known, else after any (a fall of v8.used); with
  // no collection in the window, the series' own troughs or lows (a floor
  // fitted to no point would read 0 bytes).
  const afterFalls = samplesAfterFalls(list);
  const fullGcTimes = opts.fullGcTimes?.filter((t) => t >= window.start && t <= window.end) ?? null;
  const afterFullGcs = fullGcTimes ? samplesAfter(list, fullGcTimes) : [];
  let v8Floor: FloorChoice | undefined;
  if (afterFullGcs.length > 0) v8Floor = { method: 'full-gcs', indices: afterFullGcs };
  else if (afterFalls.length > 0) v8Floor = { method: 'gcs', indices: afterFalls };
  evidence.v8Used = analyze((s) => s.v8.used, v8Floor).evidence;
  evidence.gcs = afterFalls.length;
  evidence.fullGcs = fullGcTimes?.length ?? null;
  evidence.v8External = analyze((s) => s.v8.external).evidence;
  if (inUse && processStats) {
    evidence.unexplained = unexplainedMemory(list, inUse.atFloor);
    evidence.trims = countTrims(list);
  }
  if (!heapStats) {
    evidence.notes.push(
      'No allocator statistics (heap is null: musl, or an allocator not yet supported): only RSS and V8 can be judged. ' +
        'A native leak is judged from RSS outside V8 and file pages, which cannot tell a leak from an allocator keeping more and more; fragmentation cannot be judged.',
    );
  }
  if (fullGcTimes === null) {
    evidence.notes.push(
      "Full garbage collection times unknown (a Sampler records them): V8's floor is read after every collection, " +
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

  const native = evidence.inUse ?? evidence.nativeResident;
  const findings = evidence.findings;
  const gcs = evidence.gcs;
  if (native) findings.push(leakFinding('native-leak', native, gcs, opts, inUse ? 'in-use (malloc)' : 'native RSS'));
  findings.push(leakFinding('v8-leak', evidence.v8Used, evidence.fullGcs ?? gcs, opts, 'V8 heap used'));
  if (evidence.unexplained) findings.push(fragmentationFinding(evidence.unexplained, opts));

  // The faster-growing leak is the verdict; fragmentation is one only without a leak.
  const rate = (kind: FindingKind): number => (kind === 'v8-leak' ? evidence.v8Used! : native!).floor.slope;
  const leaks = findings.filter((f) => f.found && f.kind !== 'fragmentation').sort((a, b) => rate(b.kind) - rate(a.kind));
  const fragmentation = findings.find((f) => f.found && f.kind === 'fragmentation');
  const primary: Finding | undefined = leaks[0] ?? fragmentation;
  for (const leak of leaks.slice(1)) {
    const share = rate(leak.kind) / rate(primary!.kind);
    if (share >= SECONDARY_LEAK_SHARE) evidence.secondary.push(leak);
    else evidence.notes.push(`Also growing, ${(100 * share).toFixed(1)} % as fast, likely from the same cause: ${leak.summary}.`);
  }
  if (fragmentation && primary !== fragmentation) evidence.secondary.push(fragmentation);

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
