/**
 * `Sampler`: `sample()` on an interval, as events, history and an async
 * iterable. Never keeps the process alive unless asked to.
 * @packageDocumentation
 */
import { EventEmitter } from 'node:events';
import { AutoTrimmer, type AutoTrimEvent, type AutoTrimOptions, type AutoTrimStats } from './auto-trim';
import { diagnose, resolveDiagnoseOptions, type ResolvedDiagnoseOptions } from '../diagnose/diagnose';
import type { DiagnoseOptions, Diagnosis, Verdict } from '../diagnose/diagnose-types';
import { invalidType } from '../core/errors';
import { CollectionLog, type Collection } from '../diagnose/collections';
import { RecentCosts } from './recent-costs';
import { Ring } from '../core/ring';
import { sample, sampleHeap } from '../core/sample';
import { trimRunning } from '../trim/trim';
import type { MemorySample } from '../core/types';
import { VerdictTracker } from './verdict-tracker';
import { booleanOption, integerOption, fractionOption, optionsObject } from '../core/validate';

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

const KNOWN = ['intervalMs', 'unref', 'history', 'signal', 'autoTrim', 'diagnose', 'maxCostShare'] as const;
const MAX_TIMER_MS = 2 ** 31 - 1;
/** Samples an async iterator buffers for a consumer that falls behind; older ones are dropped. */
const MAX_QUEUED = 1000;
/** Collections kept for diagnose(): minutes of a busy server's scavenges, hours of full collections. */
const COLLECTIONS_KEPT = 4096;
/** The verdict event's diagnosis runs at most this often, whatever the interval. */
const VERDICT_CHECK_MS = 250;
/** How often a tick that found a trim running looks again. */
const TRIM_POLL_MS = 5;

/**
 * Samples memory on an interval, without drift: ticks are due at
 * start + n × intervalMs, and ticks missed while the process was busy are
 * skipped, not bunched. The first sample is taken right after `start()`.
 *
 * @example
 * ```ts
 * const sampler = new Sampler({ intervalMs: 10_000 }).start();
 * sampler.on('sample', (s) => console.log(s.heap?.inUse));
 * for await (const s of sampler) if (s.process!.resident > limit) break;
 * ```
 */
export class Sampler extends EventEmitter<SamplerEvents> {
  /** Milliseconds between samples, as asked for. */
  readonly intervalMs: number;
  private readonly maxCostShare: number;
  private readonly recentCosts = new RecentCosts();
  private effectiveIntervalMs: number;
  private readonly unrefTimer: boolean;
  private readonly ring: Ring<MemorySample>;
  private readonly signal: AbortSignal | undefined;
  private readonly trimmer: AutoTrimmer | null;
  private timer: NodeJS.Timeout | undefined;
  private origin = 0;
  /** Index of the tick the timer is set for: due at origin + index × intervalMs. */
  private tickIndex = 0;
  private lastSample: MemorySample | undefined;
  private readonly waiters = new Set<() => void>();
  private readonly diagnoseOptions: ResolvedDiagnoseOptions;
  private readonly collections = new CollectionLog(
    COLLECTIONS_KEPT,
    () => sampleHeap().heap?.inUse ?? null,
    100,
    (c) => this.emit('collection', c),
  );
  private readonly tracker = new VerdictTracker();
  private verdictCheckedAt = Number.NEGATIVE_INFINITY;
  private readonly onAbort = (): void => {
    this.stop();
  };

  constructor(options?: SamplerOptions) {
    super();
    const opts = optionsObject('options', options, KNOWN);
    this.intervalMs = integerOption('options.intervalMs', opts.intervalMs, 10_000, 1, MAX_TIMER_MS);
    this.effectiveIntervalMs = this.intervalMs;
    this.maxCostShare = fractionOption('options.maxCostShare', opts.maxCostShare, 0.01, 0, 1);
    this.unrefTimer = booleanOption('options.unref', opts.unref, true);
    this.ring = new Ring(integerOption('options.history', opts.history, 360, 0, 10_000_000));
    if (opts.signal !== undefined && !(opts.signal instanceof AbortSignal)) {
      throw invalidType('options.signal', 'an AbortSignal', opts.signal);
    }
    this.signal = opts.signal;
    this.trimmer = AutoTrimmer.fromOption(opts.autoTrim, (event) => this.emit('trim', event));
    this.diagnoseOptions = resolveDiagnoseOptions(opts.diagnose, 'options.diagnose');
  }

  /**
   * The interval in use, in milliseconds: `intervalMs`, or longer while
   * samples cost more than `maxCostShare` of it (see the `slow` event).
   */
  get currentIntervalMs(): number {
    return this.effectiveIntervalMs;
  }

  /** Whether the sampler is running. */
  get running(): boolean {
    return this.timer !== undefined;
  }

  /** Starts sampling; does nothing if running or if the signal is aborted. */
  start(): this {
    if (this.timer !== undefined || this.signal?.aborted) return this;
    this.signal?.addEventListener('abort', this.onAbort, { once: true });
    this.collections.start();
    this.origin = performance.now();
    this.tickIndex = 0;
    this.effectiveIntervalMs = this.intervalMs;
    this.recentCosts.reset();
    this.schedule(0);
    this.emit('start');
    return this;
  }

  /** Stops sampling and ends every async iteration; does nothing if stopped. */
  stop(): this {
    if (this.timer === undefined) return this;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.collections.stop();
    this.signal?.removeEventListener('abort', this.onAbort);
    this.wake();
    this.emit('stop');
    return this;
  }

  /** The most recent sample, or undefined before the first. */
  latest(): MemorySample | undefined {
    return this.lastSample;
  }

  /** The kept samples, oldest first (a copy). */
  history(): MemorySample[] {
    return this.ring.toArray();
  }

  /** Auto-trims this sampler ran: count, positive bytes released, the latest (zeros without `autoTrim`). */
  trimStats(): AutoTrimStats {
    return this.trimmer?.stats() ?? { count: 0, releasedBytes: 0, lastTrim: null };
  }

  /**
   * {@link diagnose} over the kept history, with the garbage collections
   * seen while sampling: leak, fragmentation or stable. `options` override
   * the sampler's `diagnose` options.
   */
  diagnose(options?: DiagnoseOptions): Diagnosis {
    if (options !== undefined) resolveDiagnoseOptions(options); // throws, naming the option, before any merge
    const { fullGcTimes, collections, ...thresholds } = this.diagnoseOptions;
    const given = fullGcTimes !== null ? { fullGcTimes } : { collections: collections ?? this.collections.toArray() };
    return diagnose(this.ring.toArray(), { ...given, ...thresholds, ...options });
  }

  /** The garbage collections seen while sampling, oldest first (a copy; the latest 4096). */
  collectionHistory(): Collection[] {
    return this.collections.toArray();
  }

  /**
   * Yields each new sample until the sampler stops or its signal aborts.
   * Iterating a stopped sampler starts it, and leaving that loop stops it.
   */
  async *[Symbol.asyncIterator](): AsyncGenerator<MemorySample, void, undefined> {
    const queue = new Ring<MemorySample>(MAX_QUEUED);
    const onSample = (s: MemorySample): void => queue.push(s);
    const startedHere = !this.running;
    this.on('sample', onSample);
    if (startedHere) this.start();
    try {
      while (true) {
        const next = queue.shift();
        if (next !== undefined) {
          yield next;
          continue;
        }
        if (!this.running) return;
        await new Promise<void>((resolve) => this.waiters.add(resolve));
      }
    } finally {
      this.off('sample', onSample);
      if (startedHere) this.stop();
    }
  }

  private wake(): void {
    if (this.waiters.size === 0) return; // every tick: no array unless someone waits
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const resolve of waiters) resolve();
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(this.tick, delayMs);
    if (this.unrefTimer) this.timer.unref();
  }

  private readonly tick = (): void => {
    // While a trim of mallinfo runs (any thread), mallinfo2 would wait on
    // the event loop for the arena locks it holds (as long as the trim):
    // take this tick's sample when the trim is over instead.
    if (trimRunning()) {
      this.schedule(TRIM_POLL_MS);
      return;
    }
    const s = sample();
    const now = performance.now();
    const costNs = this.recentCosts.push(s.costNs);
    const slow = this.backOff(costNs, now);
    // Schedule before any listener runs, so that a throwing listener cannot
    // stop the sampler. Timers may fire a little early or late: never repeat
    // a tick, and skip the ticks that a busy event loop missed instead of
    // bunching them.
    const behind = Math.floor((now - this.origin) / this.effectiveIntervalMs) + 1;
    this.tickIndex = Math.max(this.tickIndex + 1, behind);
    this.schedule(Math.max(0, this.origin + this.tickIndex * this.effectiveIntervalMs - now));
    this.lastSample = s;
    this.ring.push(s);
    this.wake();
    this.trimmer?.consider(s); // only starts async work: before the listeners, which may throw
    if (slow) this.emit('slow', { costNs, intervalMs: this.effectiveIntervalMs, baseIntervalMs: this.intervalMs });
    this.emit('sample', s);
    if (this.listenerCount('verdict') > 0 && this.ring.size >= this.diagnoseOptions.minSamples) this.checkVerdict(now);
  };

  /**
   * Keeps sampling within maxCostShare of wall time: the interval becomes
   * cost / share (the cost from RecentCosts) when that is longer than intervalMs, and returns to
   * intervalMs when samples are cheap again. A change starts a new tick
   * grid from now. Returns whether the sampler slowed down.
   */
  private backOff(costNs: number, now: number): boolean {
    const neededMs = Math.ceil(costNs / 1e6 / this.maxCostShare);
    // Bounded (documented on maxCostShare): a tiny share must not stop sampling for days.
    const maxBackOffMs = Math.max(this.intervalMs, 60_000);
    const next = Math.min(maxBackOffMs, Math.max(this.intervalMs, neededMs));
    if (next === this.effectiveIntervalMs) return false;
    const slower = next > this.effectiveIntervalMs;
    this.effectiveIntervalMs = next;
    this.origin = now;
    this.tickIndex = 0;
    return slower;
  }

  private checkVerdict(now: number): void {
    if (now - this.verdictCheckedAt < VERDICT_CHECK_MS) return;
    this.verdictCheckedAt = now;
    const diagnosis = this.diagnose();
    const previous = this.tracker.verdict;
    if (!this.tracker.update(diagnosis, diagnosis.evidence.window.end)) return;
    this.emit('verdict', diagnosis, previous);
  }
}
