/**
 * The Sampler's `autoTrim`: after a sample, decide whether a `trim()` would
 * give memory back, and run at most one at a time.
 *
 * `heap.free` alone cannot decide it: after a trim glibc keeps `fordblks`
 * (the pages go back to the kernel, the chunks stay in the free lists), so
 * a rule on `heap.free` would trim on every sample forever. The memory a
 * trim can release is the free memory that is still *resident*, which no
 * counter shows directly. What the samples do show is
 *
 *     held = RSS − heap.inUse − v8.physical
 *
 * the resident memory that neither the program's mallocs nor V8's heap
 * account for: resident free chunks plus a roughly constant rest (code,
 * stacks, file mappings). Right after a trim, `held` is that rest plus what
 * the trim could not release; it is kept as the baseline (lowered whenever
 * `held` falls below it, e.g. after someone else's trim). Free memory that
 * becomes resident again (chunks freed after use) raises `held` above the
 * baseline by as much, while growth of in-use memory or of V8's heap does
 * not move it. So a trim runs when
 *
 * - `heap.free >= minFreeBytes`, and
 * - before the first trim: that is all there is to go on; after it:
 *   `held − baseline >= minFreeBytes` (that much free memory became
 *   resident again since the last trim), and
 * - at least `minIntervalMs` passed since the last auto-trim started, and
 *   no auto-trim is running.
 * @packageDocumentation
 */
import { invalidType } from '../core/errors';
import { assertSupported } from '../core/support';
import { trim, type TrimResult } from '../trim/trim';
import type { MemorySample } from '../core/types';
import { integerOption, optionsObject } from '../core/validate';

/** The `autoTrim` option of `Sampler`. */
export interface AutoTrimOptions {
  /** Trim when at least this many free bytes are resident in the allocator (see above). Integer >= 1; default 64 MiB. */
  minFreeBytes?: number;
  /** Milliseconds between two auto-trims at least. Integer >= 0; default 60000. */
  minIntervalMs?: number;
}

/** A `trim` event of `Sampler`: the trim's result and why it ran. */
export interface AutoTrimEvent extends TrimResult {
  /** When the trim finished, in milliseconds since the epoch. */
  time: number;
  /** `heap.free` of the sample that started it, bytes. */
  freeBefore: number;
  /** `held − baseline` of that sample: free bytes estimated to have become resident since the last auto-trim; null before the first one. */
  residentFreeEstimate: number | null;
}

/** What `Sampler#trimStats()` returns. */
export interface AutoTrimStats {
  /** Auto-trims finished by this sampler. */
  count: number;
  /** Sum of their positive `released` values, bytes (a trim during which RSS grew adds 0). */
  releasedBytes: number;
  /** The latest auto-trim, or null before the first. */
  lastTrim: AutoTrimEvent | null;
}

const DEFAULT_MIN_FREE_BYTES = 64 * 1024 * 1024;
const DEFAULT_MIN_INTERVAL_MS = 60_000;

/** RSS that neither malloc's in-use bytes nor V8's heap account for; null without the numbers. */
function held(s: MemorySample): number | null {
  if (s.heap === null || s.process === null) return null;
  return s.process.resident - s.heap.inUse - s.v8.physical;
}

/** Decides and runs the auto-trims of one Sampler. */
export class AutoTrimmer {
  private readonly minFreeBytes: number;
  private readonly minIntervalMs: number;
  private running = false;
  private lastStart: number | null = null;
  private baseline: number | null = null;
  private readonly totals: AutoTrimStats = { count: 0, releasedBytes: 0, lastTrim: null };

  private constructor(opts: Record<string, unknown>, private readonly onTrim: (event: AutoTrimEvent) => void) {
    this.minFreeBytes = integerOption('options.autoTrim.minFreeBytes', opts.minFreeBytes, DEFAULT_MIN_FREE_BYTES, 1);
    this.minIntervalMs = integerOption('options.autoTrim.minIntervalMs', opts.minIntervalMs, DEFAULT_MIN_INTERVAL_MS, 0);
  }

  /**
   * Validates the `autoTrim` option: undefined (off) or an object of
   * {@link AutoTrimOptions}. Throws UnsupportedError where trimming is not possible.
   */
  static fromOption(value: unknown, onTrim: (event: AutoTrimEvent) => void): AutoTrimmer | null {
    if (value === undefined) return null;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw invalidType('options.autoTrim', 'an object ({ minFreeBytes, minIntervalMs })', value);
    }
    const opts = optionsObject('options.autoTrim', value, ['minFreeBytes', 'minIntervalMs']);
    const trimmer = new AutoTrimmer(opts, onTrim);
    assertSupported('trim', 'options.autoTrim');
    return trimmer;
  }

  /** Looks at a new sample and starts a trim if the rule says so. */
  consider(s: MemorySample): void {
    const now = held(s);
    if (now === null || s.heap === null) return;
    if (this.baseline !== null) this.baseline = Math.min(this.baseline, now);
    if (this.running || s.heap.free < this.minFreeBytes) return;
    const started = performance.now();
    if (this.lastStart !== null && started - this.lastStart < this.minIntervalMs) return;
    const estimate = this.baseline === null ? null : now - this.baseline;
    if (estimate !== null && estimate < this.minFreeBytes) return;
    this.running = true;
    this.lastStart = started;
    const freeBefore = s.heap.free;
    trim().then(
      (result) => {
        this.running = false;
        // What is left unexplained right after the trim is the new floor.
        this.baseline = result.released === null ? null : now - result.released;
        const event: AutoTrimEvent = { ...result, time: Date.now(), freeBefore, residentFreeEstimate: estimate };
        this.totals.count++;
        if (result.released !== null && result.released > 0) this.totals.releasedBytes += result.released;
        this.totals.lastTrim = event;
        // Outside the promise chain: a throwing listener reaches
        // uncaughtException like a 'sample' listener's error would.
        process.nextTick(() => this.onTrim(event));
      },
      (error: unknown) => {
        this.running = false;
        process.emitWarning(error instanceof Error ? error : String(error), { code: 'MALLINFO_AUTO_TRIM' });
      },
    );
  }

  /** Whether an auto-trim is running now. */
  get trimming(): boolean {
    return this.running;
  }

  /** The counts so far (a copy). */
  stats(): AutoTrimStats {
    return { ...this.totals, lastTrim: this.totals.lastTrim === null ? null : { ...this.totals.lastTrim } };
  }
}
