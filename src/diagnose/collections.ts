/**
 * Every garbage collection, as the process sees it (perf_hooks `gc`
 * entries), with V8's used heap and malloc's in-use bytes read right after
 * it. Garbage not yet collected is the main confounder of a leak verdict:
 * Buffers and ArrayBuffers hold malloc'd memory until V8 collects their
 * owners, and V8's used heap counts dead objects until a full collection.
 * Readings taken right after collections are floors that do not depend on
 * a sample happening to land there.
 * @packageDocumentation
 */
import { constants, PerformanceObserver, performance } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import { Ring } from '../core/ring';

/** Which kind of collection (perf_hooks' `detail.kind`). */
export type CollectionKind = 'major' | 'minor' | 'incremental' | 'weakcb';

/** One garbage collection. */
export interface Collection {
  /** When it ended, ms since the epoch like `MemorySample.time`. */
  time: number;
  /** Mark-compact (`'major'`, the only one after which V8's heap holds live objects alone), scavenge (`'minor'`), … */
  kind: CollectionKind;
  /** How long it took, ms; null when not known. */
  durationMs: number | null;
  /** `v8.getHeapStatistics().used_heap_size` read when the process learnt of it (just after), bytes; null when not known. */
  v8Used: number | null;
  /** malloc's in-use bytes read just after a major collection, bytes; null when not read (minor ones, or no allocator statistics). */
  inUse: number | null;
  /**
   * V8's external memory (`external_memory`: Buffers, ArrayBuffers) read
   * right after a forced collection, bytes: what JavaScript keeps outside
   * V8's heap, whichever allocator holds it. Absent after V8's own
   * collections, where the count still holds Buffers freed since the one
   * before (V8 lowers it when it next collects).
   */
  v8External?: number | null;
  /**
   * True for a full collection the Sampler ran itself (`collectEveryMs`):
   * two in a row, then a sample, so `v8Used` and `inUse` are live memory
   * (no dead objects, no Buffers waiting for V8's sweeper). Absent for the
   * collections V8 chose to run. V8's own entries for its two GCs are
   * recorded too (kind `'major'`, ending within this one's `durationMs`):
   * count either them or this record, not both, as `diagnose()` does.
   */
  forced?: true;
  /**
   * For a forced collection where worker threads answer
   * (`answerCollections()`, run by `mallinfo run`'s preload in every
   * worker): how many ran their own two full collections, in time, before
   * the main thread's and the reading. Absent where no worker answers:
   * there, in-use still counts the Buffers that worker threads dropped and
   * have not collected yet.
   */
  workers?: number;
}

const KINDS: Record<number, CollectionKind> = {
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
};

/** Reads malloc's in-use bytes, or null; injected so that this module does not load the addon. */
export type InUseReader = () => number | null;

/**
 * Records collections into a ring. In-use is read after major collections
 * only, and at most once per `minInUseGapMs`: mallinfo2 walks the free
 * lists under the arena locks, too dear for every scavenge.
 */
export class CollectionLog {
  private readonly ring: Ring<Collection>;
  private observer: PerformanceObserver | undefined;
  private lastInUseRead = Number.NEGATIVE_INFINITY;

  constructor(
    capacity: number,
    private readonly readInUse: InUseReader | null,
    private readonly minInUseGapMs = 100,
    private readonly onCollection?: (c: Collection) => void,
  ) {
    this.ring = new Ring(capacity);
  }

  /** Starts recording; does nothing if recording. */
  start(): void {
    if (this.observer !== undefined) return;
    this.observer = new PerformanceObserver((list) => {
      const entries = list.getEntries();
      if (entries.length === 0) return;
      // One reading for the batch: the observer runs after the collections, not between them.
      const v8Used = getHeapStatistics().used_heap_size;
      for (const entry of entries) {
        const detail = (entry as { detail?: { kind?: number } | null }).detail;
        const kind = KINDS[detail?.kind ?? -1];
        if (kind === undefined) continue;
        const time = performance.timeOrigin + entry.startTime + entry.duration;
        let inUse: number | null = null;
        if (kind === 'major' && this.readInUse !== null && time - this.lastInUseRead >= this.minInUseGapMs) {
          inUse = this.readInUse();
          this.lastInUseRead = time;
        }
        this.record({ time, kind, durationMs: entry.duration, v8Used, inUse });
      }
    });
    this.observer.observe({ entryTypes: ['gc'] });
  }

  /** Records a collection seen some other way: one the Sampler ran itself. */
  record(c: Collection): void {
    this.ring.push(c);
    this.onCollection?.(c);
  }

  /** Stops recording; what was recorded is kept. */
  stop(): void {
    this.observer?.disconnect();
    this.observer = undefined;
  }

  /** The recorded collections, oldest first (a copy). */
  toArray(): Collection[] {
    return this.ring.toArray();
  }
}

/**
 * A listener for a Sampler's `collection` event that passes on every full
 * collection and at most one of the others per `minGapMs`: what `mallinfo
 * run` and `mallinfo attach` send to the CLI (a busy server runs dozens of
 * scavenges a second).
 */
export function throttledCollections(send: (c: Collection) => void, minGapMs = 100): (c: Collection) => void {
  let lastMinor = Number.NEGATIVE_INFINITY;
  return (c) => {
    if (c.kind !== 'major') {
      if (c.time - lastMinor < minGapMs) return;
      lastMinor = c.time;
    }
    send(c);
  };
}

/**
 * The collections without the GCs that a forced collection ran itself: the
 * Sampler records a forced collection once, and V8 reports each of its two
 * GCs too. Counted three times, one reading of live memory would weigh as
 * three independent ones (Sen's interval assumes independent points, and
 * pairs a few ms apart add slopes of nothing but noise). A GC is a forced
 * collection's own when it ended within that collection's pause.
 */
export function withoutForcedOwnGcs(collections: readonly Collection[]): Collection[] {
  const pauses = collections
    .filter((c) => c.forced === true)
    .map((c) => ({ from: c.time - (c.durationMs ?? 0) - OWN_GC_SLACK_MS, to: c.time + OWN_GC_SLACK_MS }))
    .sort((a, b) => a.from - b.from);
  if (pauses.length === 0) return [...collections];
  return collections.filter((c) => {
    if (c.forced === true) return true;
    // The last pause that began at or before this GC ended: pauses do not overlap.
    let lo = 0;
    let hi = pauses.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (pauses[mid].from <= c.time) lo = mid;
      else hi = mid - 1;
    }
    const p = pauses[lo];
    return !(p.from <= c.time && c.time <= p.to);
  });
}

/** Clock slack when matching a GC's end to a forced collection's pause, ms: both are read from performance.now(). */
const OWN_GC_SLACK_MS = 1;
