/**
 * A verdict that changes only when the new one is sustained. Diagnoses of
 * a growing history are re-made after every sample; near a threshold they
 * can alternate. A Sampler's `verdict` event follows this tracker instead:
 * growing evidence makes a verdict firmer, not different.
 * @packageDocumentation
 */
import type { Diagnosis, Verdict } from './diagnose-types';

/** Options of {@link VerdictTracker}. */
export interface VerdictTrackerOptions {
  /** Consecutive diagnoses a new verdict must win before it is taken. Default 3. */
  sustain?: number;
  /**
   * Share of the history's duration a verdict must have won for, on top of
   * `sustain`, before it replaces a verdict already given (not the first
   * one). Default 0.1: over a 60 s history, 6 s.
   */
  sustainShare?: number;
}

/**
 * Follows diagnoses and keeps a verdict that changes only when sustained.
 * Once a verdict is given it never goes back to `'insufficient-data'`: a
 * diagnosis that cannot decide keeps the verdict it had.
 */
export class VerdictTracker {
  private tracked: Verdict = 'insufficient-data';
  private candidate: Verdict | null = null;
  private wins = 0;
  private since = 0;
  private readonly sustain: number;
  private readonly sustainShare: number;

  constructor(options: VerdictTrackerOptions = {}) {
    this.sustain = options.sustain ?? 3;
    this.sustainShare = options.sustainShare ?? 0.1;
  }

  /** The verdict tracked so far. */
  get verdict(): Verdict {
    return this.tracked;
  }

  /** Feeds the latest diagnosis (of the history up to `time`, ms); returns whether the tracked verdict changed. */
  update(d: Diagnosis, time: number): boolean {
    const v = d.verdict;
    if (v === this.tracked || v === 'insufficient-data') {
      this.candidate = null;
      this.wins = 0;
      return false;
    }
    if (v !== this.candidate) {
      this.candidate = v;
      this.wins = 0;
      this.since = time;
    }
    this.wins++;
    const first = this.tracked === 'insufficient-data';
    const heldMs = time - this.since;
    if (this.wins < this.sustain || (!first && heldMs < this.sustainShare * d.evidence.window.durationMs)) return false;
    this.tracked = v;
    this.candidate = null;
    this.wins = 0;
    return true;
  }
}
