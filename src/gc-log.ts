/**
 * When full garbage collections happened. V8's used heap after a scavenge
 * still counts old objects that died since the last full (mark-compact)
 * collection, so it creeps up between full collections in any busy
 * process; only right after a full collection does it hold live objects
 * alone. A Sampler records these times so that `diagnose()` can read V8's
 * floor there.
 * @packageDocumentation
 */
import { constants, PerformanceObserver, performance } from 'node:perf_hooks';
import { Ring } from './ring';

/** Records the end times of full (major) garbage collections, ms since the epoch like `MemorySample.time`. */
export class FullGcLog {
  private readonly times: Ring<number>;
  private observer: PerformanceObserver | undefined;

  /** Keeps the latest `capacity` times; `onGc`, if given, is called with each as it is recorded. */
  constructor(
    capacity: number,
    private readonly onGc?: (time: number) => void,
  ) {
    this.times = new Ring(capacity);
  }

  /** Starts recording; does nothing if recording. */
  start(): void {
    if (this.observer !== undefined) return;
    this.observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        const detail = (entry as { detail?: { kind?: number } | null }).detail;
        if (detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) {
          const time = performance.timeOrigin + entry.startTime + entry.duration;
          this.times.push(time);
          this.onGc?.(time);
        }
      }
    });
    this.observer.observe({ entryTypes: ['gc'] });
  }

  /** Stops recording; the times recorded so far are kept. */
  stop(): void {
    this.observer?.disconnect();
    this.observer = undefined;
  }

  /** The recorded times, oldest first (a copy). */
  toArray(): number[] {
    return this.times.toArray();
  }
}
