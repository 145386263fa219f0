/**
 * What `measure()` and `expectNoLeak()` report. Every size is in bytes, read
 * with `sample()` after garbage collection has settled.
 * @packageDocumentation
 */
import type { MemorySample } from './types';

/** What {@link measure} reports: the change across the measured calls. */
export interface Measurement {
  /** Calls of `fn` measured (the warm-up calls excluded). */
  iterations: number;
  /** Milliseconds the measured calls took, garbage collection excluded. */
  durationMs: number;
  /** `after − before` of the readings below. */
  change: {
    /** Change in the C heap in use (`heap.inUse`: malloc, Buffers, addons); null where the allocator gives no statistics. */
    nativeInUse: number | null;
    /** Change in resident set size (`process.resident`, from `/proc/self/statm`); null when it cannot be read. */
    resident: number | null;
    /** Change in V8's heap in use (`v8.used`: JS objects). */
    v8Used: number;
    /** Change in V8's external memory (`v8.external`: ArrayBuffers and Buffers, a part of `nativeInUse`). */
    v8External: number;
  };
  /** The sample before the measured calls, after garbage collection. */
  before: MemorySample;
  /** The sample after the measured calls, after garbage collection. */
  after: MemorySample;
}

/** Readings taken after each round of one attempt, after garbage collection: index 0 before the first call. */
export interface LeakSeries {
  /** Calls of `fn` made in this attempt when each reading was taken: 0, then the end of each round. */
  calls: number[];
  /** `heap.inUse` at each reading; null where the allocator gives no statistics. */
  nativeInUse: number[] | null;
  /** `v8.used` at each reading. */
  v8Used: number[];
  /** `v8.external` at each reading. */
  v8External: number[];
  /** `process.resident` (RSS) at each reading; null when `/proc/self/statm` cannot be read. */
  resident: number[] | null;
}

/** Growth per iteration of one attempt: the Theil–Sen slope of each series over `calls`. */
export interface GrowthRates {
  /** Of `heap.inUse`, bytes per iteration; null where the allocator gives no statistics. Judged against `tolerance.native`. */
  native: number | null;
  /** Of `v8.used`, bytes per iteration. Judged against `tolerance.v8`. */
  v8: number;
  /** Of `v8.external` (ArrayBuffers, Buffers), bytes per iteration. Reported, not judged: it explains native growth. */
  external: number;
  /** Of RSS, bytes per iteration; null when unreadable. Reported, not judged: RSS also moves with fragmentation. */
  resident: number | null;
}

/** One attempt of {@link expectNoLeak}: `iterations` calls in rounds, a reading after each. */
export interface LeakAttempt {
  /** Calls of `fn` in this attempt. */
  iterations: number;
  /** Rounds the calls were split into (a reading after each). */
  rounds: number;
  /** Milliseconds the attempt took, garbage collection included. */
  durationMs: number;
  /** The readings. */
  series: LeakSeries;
  /** Growth per iteration in this attempt. */
  bytesPerIteration: GrowthRates;
}

/** What {@link expectNoLeak} resolves to when memory did not grow. */
export interface LeakCheck {
  /** The attempts made; the last one is the one within tolerance. */
  attempts: LeakAttempt[];
  /** Measured calls over all attempts (warm-up excluded). */
  iterations: number;
  /** Milliseconds the whole check took, warm-up included. */
  durationMs: number;
  /** The growth rates of the last attempt. */
  bytesPerIteration: GrowthRates;
}
