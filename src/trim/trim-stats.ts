/**
 * Process-wide count of the trims mallinfo ran and the RSS they released,
 * for the exporters' counters. Counters only go up: a trim whose RSS rose
 * (other threads allocating meanwhile) adds 0 bytes, not a negative number.
 * @packageDocumentation
 */

// TrimResult lives here, below trim.ts, so that the two do not import each other.

/** What a trim did, measured from `/proc/self/statm`. */
export interface TrimResult {
  /** Resident set size just before the trim, in bytes; null when `/proc/self/statm` could not be read (`trim()` only: the trim ran, unmeasured). */
  rssBefore: number | null;
  /** Resident set size just after the trim, in bytes; null when `/proc/self/statm` could not be read. */
  rssAfter: number | null;
  /** `rssBefore - rssAfter`: bytes the kernel got back (negative if other threads grew RSS meanwhile); null when unmeasured. */
  released: number | null;
  /** How long the allocator's trim call took, in milliseconds. */
  durationMs: number;
}

/** What `trimSync()` returns: always measured (without statm it refuses before trimming). */
export interface MeasuredTrimResult extends TrimResult {
  rssBefore: number;
  rssAfter: number;
  released: number;
}

/** Totals since the process started. */
export interface TrimTotals {
  /** Trims run by mallinfo (`trim`, `trimSync`, a Sampler's autoTrim). */
  count: number;
  /** Sum of the positive `released` values of those trims, in bytes. */
  releasedBytes: number;
}

const totals: TrimTotals = { count: 0, releasedBytes: 0 };

/** Records one finished trim. */
export function recordTrim(result: TrimResult): void {
  totals.count++;
  if (result.released !== null && result.released > 0) totals.releasedBytes += result.released;
}

/** The totals so far (a copy). */
export function trimTotals(): TrimTotals {
  return { ...totals };
}
