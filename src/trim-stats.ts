/**
 * Process-wide count of the trims mallinfo ran and the RSS they released,
 * for the exporters' counters. Counters only go up: a trim whose RSS rose
 * (other threads allocating meanwhile) adds 0 bytes, not a negative number.
 * @packageDocumentation
 */
import type { TrimResult } from './trim';

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
