/**
 * The Sampler's options and events.
 * @packageDocumentation
 */
import type { AutoTrimEvent, AutoTrimOptions } from './auto-trim';
import type { DiagnoseOptions, Diagnosis, Verdict } from '../diagnose/diagnose-types';
import type { Collection } from '../diagnose/collections';
import type { MemorySample } from '../core/types';

/** Options of {@link Sampler}. */
export interface SamplerOptions {
  /** Milliseconds between samples, an integer from 1 to 2147483647. Default 10000. */
  intervalMs?: number;
  /** Let the process exit while the sampler runs (an unref'd timer). Default true. */
  unref?: boolean;
  /** How many recent samples {@link Sampler.history} keeps. Default 360 (an hour at 10 s). */
  history?: number;
  /** Stops the sampler when aborted; a sampler whose signal is aborted does not start. */
  signal?: AbortSignal;
  /** Trim when the allocator holds enough resident free memory (off by default; see `trimStats()`). */
  autoTrim?: AutoTrimOptions;
  /** Options for {@link Sampler.diagnose} and the `verdict` event (see {@link DiagnoseOptions}). */
  diagnose?: DiagnoseOptions;
  /**
   * The largest share of wall time sampling may take, greater than 0 and less than 1.
   * Default 0.01 (1 %). `mallinfo2` walks every free chunk under the arena
   * locks, so a fragmented heap makes a sample cost milliseconds; when
   * three samples in a row cost more than this share of the interval, the
   * sampler waits longer (interval = the lowest of their costs / share, at
   * most 60 s or `intervalMs` if longer) and emits `slow`. It returns to
   * `intervalMs` after one cheap sample.
   */
  maxCostShare?: number;
  /**
   * Run a full garbage collection (two in a row) right after a sample, at
   * most once per this many milliseconds: an integer from 1 to 2147483647.
   * Off by default. V8's heap and malloc's in-use read right after it are
   * live memory (the samples stay as they were, garbage included), and `diagnose()`
   * judges by them (see docs/diagnosis.md): a leak or a level floor shows
   * within a few of them instead of waiting for V8 to collect. The cost is
   * a pause of the event loop as long as two full collections (about 2× the
   * one V8 runs itself: 15–30 ms per 10 MB of heap, ~0.35–0.6 s for 200 MB
   * on a 2-vCPU machine, `npm run bench`), each recorded in
   * `collectionHistory()` with `forced: true`. Meant for tests, staging
   * and diagnosis runs (`mallinfo run` collects every second by default), not a busy
   * production server's hot path. The pauses stay within `maxPauseShare`
   * of wall time: a large heap is collected less often.
   */
  collectEveryMs?: number;
  /**
   * With `collectEveryMs`: the largest share of wall time the Sampler's own
   * full collections may pause the program, greater than 0 and less than
   * 1. Default 0.05 (5 %). After a collection that paused the program p
   * ms, the next waits at least p / maxPauseShare ms (and at least
   * `collectEveryMs`): on a 10 MB heap (15–30 ms) every second still
   * fits, on a 200 MB heap (0.35–0.6 s) one every 7–12 s.
   */
  maxPauseShare?: number;
}

/** What the `slow` event reports. */
export interface SlowSampleEvent {
  /** The cost the new interval is based on, in nanoseconds: the lowest of the last three samples' costs. */
  costNs: number;
  /** The interval the sampler now uses, in milliseconds. */
  intervalMs: number;
  /** The interval asked for (`options.intervalMs`). */
  baseIntervalMs: number;
}

/** Events of {@link Sampler}. */
export interface SamplerEvents {
  sample: [sample: MemorySample];
  start: [];
  stop: [];
  /** An auto-trim finished (`autoTrim` option). */
  trim: [result: AutoTrimEvent];
  /**
   * The verdict changed. {@link Sampler.diagnose} runs after a sample while
   * someone listens, once the history holds `minSamples`, at most every
   * 250 ms; a new verdict is taken only when it wins 3 diagnoses in a row
   * (and, replacing an earlier verdict, for half the history's duration, at
   * most 5 minutes): see {@link VerdictTracker}. The first change is from
   * `'insufficient-data'`, and the verdict never returns to it.
   */
  verdict: [diagnosis: Diagnosis, previousVerdict: Verdict];
  /** A sample cost more than `maxCostShare` of the interval: the sampler backs off. */
  slow: [event: SlowSampleEvent];
  /** A garbage collection ended (every kind), with V8's heap and in-use read right after it. */
  collection: [collection: Collection];
}
