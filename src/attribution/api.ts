/**
 * `mallinfo/attribution`: after a verdict of "V8 leak" or "native leak
 * through Buffers", name what holds the memory. A baseline heap snapshot
 * (after a full collection), a later one, and what was added between them
 * and survived, grouped by constructor and by the object that keeps it,
 * with a retainer path and the JavaScript stacks that allocated it (V8's
 * sampling heap profiler). ArrayBuffer backing stores are in the snapshots
 * (`system / JSArrayBufferData`), so Buffer memory is attributed too.
 *
 * A snapshot pauses the process (about a second per 100 MB of heap, see
 * docs/attribution.md): nothing here takes one unless asked.
 * @packageDocumentation
 */
import { analyze, baselineOf, type AnalyzeLimits, type Baseline } from './attribution-analyze';
import { DEFAULT_SAMPLING_INTERVAL_BYTES, HeapCapture } from './attribution-capture';
import type { AttributionReport } from './attribution-types';
import { integerOption, optionsObject } from '../core/validate';

export type {
  AllocationSite,
  AttributionReport,
  GrowthGroup,
  Retainer,
  RetainerStep,
  SourceLocation,
  StackFrame,
} from './attribution-types';
export { analyzeFiles, type AnalyzeLimits, type AttributionFiles } from './attribution-analyze';
export { attributionLines, formatGroup, type AttributionLinesOptions } from './attribution-format';
export { allocationPprof, attributionPprof } from './attribution-pprof';
export {
  analyzeJemallocProfiles,
  dumpJemallocProfile,
  jemallocProfiling,
  nativeAttributionLines,
  nativePprof,
  type NativeAnalyzeOptions,
  type NativeAttributionReport,
  type NativeFrame,
  type NativeGrowth,
} from './attribution-native';

/** Options of {@link HeapAttribution.start}. */
export interface HeapAttributionOptions extends AnalyzeLimits {
  /**
   * Bytes between two samples of V8's sampling heap profiler, which gives
   * the allocation stacks (default 32768); 0 turns sampling off.
   */
  samplingIntervalBytes?: number;
}

/**
 * Attribution within this process: `start()` takes the baseline, each
 * `report()` compares a new snapshot with it.
 *
 * @example
 * const attribution = HeapAttribution.start();
 * await runTheWorkload();
 * console.log(attributionLines(attribution.report()).join('\n'));
 * attribution.stop();
 */
export class HeapAttribution {
  /** How long the last snapshot paused the process, ms. */
  lastPauseMs: number;

  private constructor(
    private readonly capture: HeapCapture,
    private readonly baseline: Baseline,
    private readonly limits: AnalyzeLimits,
    pauseMs: number,
  ) {
    this.lastPauseMs = pauseMs;
  }

  /**
   * Starts sampling allocations and takes the baseline snapshot now, after
   * a full collection (this pauses the process). One at a time per thread
   * when sampling (V8 has one sampling heap profiler per isolate).
   * @throws TypeError / RangeError for bad options; Error while another one samples.
   */
  static start(options?: HeapAttributionOptions): HeapAttribution {
    const o = optionsObject('options', options, ['samplingIntervalBytes', 'maxGroups', 'maxAllocations']);
    const interval = integerOption('options.samplingIntervalBytes', o.samplingIntervalBytes, DEFAULT_SAMPLING_INTERVAL_BYTES, 0, 2 ** 30);
    const limits: AnalyzeLimits = {
      maxGroups: integerOption('options.maxGroups', o.maxGroups, 20, 1, 10_000),
      maxAllocations: integerOption('options.maxAllocations', o.maxAllocations, 10, 0, 10_000),
    };
    const capture = new HeapCapture();
    try {
      if (interval > 0) capture.startSampling(interval);
      const { text, pauseMs } = capture.snapshotText();
      const sampling = capture.samplingProfile();
      return new HeapAttribution(capture, baselineOf(text, sampling), limits, pauseMs);
    } catch (error) {
      capture.close();
      throw error;
    }
  }

  /** Takes a snapshot now (after a full collection) and reports what grew since the baseline. */
  report(): AttributionReport {
    if (this.capture.isClosed) throw new Error('this HeapAttribution was stopped: start() a new one');
    // The snapshot first, so that it holds none of the profile's objects (the profile's stacks through this package are left out).
    const { text, pauseMs } = this.capture.snapshotText();
    const sampling = this.capture.samplingProfile();
    this.lastPauseMs = pauseMs;
    return analyze(this.baseline, text, sampling, this.limits);
  }

  /** Stops sampling and closes the inspector session (a second call does nothing). */
  stop(): void {
    this.capture.close();
  }
}
