/**
 * `Sampler`: `sample()` on an interval, as events, history and an async
 * iterable. Never keeps the process alive unless asked to.
 * @packageDocumentation
 */
import { EventEmitter } from 'node:events';
import { AutoTrimmer, type AutoTrimStats } from './auto-trim';
import type { SamplerEvents, SamplerOptions } from './sampler-types';
import { diagnose, resolveDiagnoseOptions, type ResolvedDiagnoseOptions } from '../diagnose/diagnose';
import type { DiagnoseOptions, Diagnosis } from '../diagnose/diagnose-types';
import { invalidType } from '../core/errors';
import { CollectionLog, type Collection } from '../diagnose/collections';
import { ForcedCollections } from './forced-collections';
import { WorkerCollections } from './worker-collections';
import { RecentCosts } from './recent-costs';
import { Ring } from '../core/ring';
import { sample, sampleHeap } from '../core/sample';
import { trimRunning } from '../trim/trim';
import type { MemorySample } from '../core/types';
import { VerdictTracker } from './verdict-tracker';
import { booleanOption, integerOption, fractionOption, optionsObject } from '../core/validate';

export type { SamplerEvents, SamplerOptions, SlowSampleEvent } from './sampler-types';

const KNOWN = ['intervalMs', 'unref', 'history', 'signal', 'autoTrim', 'diagnose', 'maxCostShare', 'collectEveryMs', 'maxPauseShare'] as const;
const MAX_TIMER_MS = 2 ** 31 - 1;
/** Samples an async iterator buffers for a consumer that falls behind; older ones are dropped. */
const MAX_QUEUED = 1000;
/** Collections kept for diagnose(): minutes of a busy server's scavenges, hours of full collections. */
const COLLECTIONS_KEPT = 4096;
/** The verdict event's diagnosis runs at most this often, whatever the interval. */
const VERDICT_CHECK_MS = 250;
/** The default largest share of wall time the Sampler's own full collections may pause the program. */
const DEFAULT_PAUSE_SHARE = 0.05;
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
  private readonly forced: ForcedCollections | null;
  private readonly workers: WorkerCollections | null;
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
  private readonly recordForced = (collection: Collection): void => {
    this.collections.record(collection);
  };
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
    const everyMs = opts.collectEveryMs === undefined ? null : integerOption('options.collectEveryMs', opts.collectEveryMs, 0, 1, MAX_TIMER_MS);
    const pauseShare = fractionOption('options.maxPauseShare', opts.maxPauseShare, DEFAULT_PAUSE_SHARE, 0, 1);
    // Worker threads that answer get half the gap to collect before the reading: at least 0.25 s (a loaded event loop answers late), at most 1 s.
    this.workers = everyMs === null ? null : new WorkerCollections(Math.min(1000, Math.max(250, everyMs / 2)));
    this.forced = everyMs === null ? null : new ForcedCollections(everyMs, pauseShare, undefined, this.workers);
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
    this.forced?.reset();
    this.workers?.start();
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
    this.forced?.reset();
    this.workers?.stop();
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
    // After the sample (see forced-collections.ts), before the listeners, which may throw.
    this.forced?.runIfDue(this.recordForced);
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
