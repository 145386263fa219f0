/**
 * The shape of a diagnosis: verdict, confidence, evidence, advice. Every
 * number is in bytes, bytes per second or milliseconds, and says which
 * samples it comes from.
 * @packageDocumentation
 */
import type { Collection } from './collections';
import type { SeriesEvidence } from './series';

/** What {@link diagnose} concludes. */
export type Verdict = 'native-leak' | 'v8-leak' | 'fragmentation' | 'stable' | 'insufficient-data';

/** A problem a diagnosis can find (the verdicts other than `'stable'` and `'insufficient-data'`). */
export type FindingKind = 'native-leak' | 'v8-leak' | 'fragmentation';

/** Options of {@link diagnose}; every one has a default. */
export interface DiagnoseOptions {
  /** Fewest samples for a verdict, an integer >= 3. Default 20. */
  minSamples?: number;
  /** Shortest window for a verdict, milliseconds from the first sample to the last. Default 1000. */
  minDurationMs?: number;
  /** A leak's floor must rise at least this much over the window, bytes. Default 1 MiB. */
  leakMinBytes?: number;
  /**
   * One-sided Mann–Kendall p-value reported as significant in the trend
   * evidence (`floor.pValue`), from 0 to 1 exclusive. Default 0.01. The
   * verdict itself does not rest on it: over few floor points (4 troughs,
   * 2 full collections) the test cannot reach any useful significance.
   */
  significance?: number;
  /** Fragmentation needs the allocator to keep at least this much freed memory, bytes. Default 32 MiB. */
  fragmentationMinBytes?: number;
  /** Fragmentation needs that freed memory to be at least this share of anonymous RSS, from 0 to 1 exclusive. Default 0.25. */
  fragmentationMinShare?: number;
  /** Most points a trend is fitted to (the fits cost O(points²)); more are thinned evenly. From 10 to 5000, default 60. */
  maxPoints?: number;
  /**
   * When full (major) garbage collections ended, ms since the epoch like
   * `MemorySample.time`; a Sampler records them and passes them itself.
   * With them, V8's floor is read right after full collections, where it
   * holds live objects only. Without them, a V8 leak is called with
   * confidence 0.75 at most.
   */
  fullGcTimes?: readonly number[];
  /**
   * Every garbage collection seen, with V8's used heap and malloc's in-use
   * read right after it; a Sampler records them and passes them itself.
   * Readings after full collections are floors that do not depend on a
   * sample landing there. Supersedes `fullGcTimes` when both are given.
   */
  collections?: readonly Collection[];
}

/** The samples a diagnosis used. */
export interface SampleWindow {
  /** How many samples. */
  samples: number;
  /** The first sample's `time`, ms since the epoch. */
  start: number;
  /** The last sample's `time`, ms since the epoch. */
  end: number;
  /** `end − start`, milliseconds. */
  durationMs: number;
  /** Median time between samples, milliseconds (NaN with fewer than two samples). */
  intervalMs: number;
}

/**
 * Resident memory that neither the program (malloc in-use) nor V8's heap
 * accounts for: `resident − shared − heap.inUse − v8.physical` per sample
 * (file-backed pages such as node's own code are left out). Under glibc it
 * is almost all freed memory the allocator keeps resident; thread stacks
 * and WebAssembly memory add a few MB.
 */
export interface UnexplainedMemory {
  /** At the last sample, bytes (may be slightly negative: the parts are read microseconds apart). */
  latest: number;
  /** Median over the stretch judged (see `idleForMs`), bytes. */
  atFloor: number;
  /** `atFloor` as a share of the anonymous RSS (`resident − shared`) over the stretch, 0 to 1. */
  shareOfResident: number;
  /**
   * Native resident memory (`resident − shared − v8.physical`) that no
   * in-use value reached over the stretch: its lowest value there less the
   * highest in-use there, never below 0, bytes. Freed memory kept resident
   * and not taken back: what a trim would return for good while the
   * program keeps to `peakInUse`. Free memory that in-use keeps reaching
   * into (a cache churning, bursts) is headroom and does not count. At
   * most `free`: resident memory that malloc does not count as free is not
   * malloc's to keep or return (a native addon's own allocator, e.g. Rust's
   * mimalloc, holds memory in RSS and in none of malloc's statistics).
   */
  idle: number;
  /** `idle` as a share of anonymous RSS, 0 to 1. */
  idleShare: number;
  /**
   * For how long at least half of `idle` stayed unused, ms, up to the
   * window's end (or up to the first trim, `beforeTrim`). `idle` itself is
   * judged over the last third of the window.
   */
  idleForMs: number;
  /** The highest in-use over the stretch, bytes. */
  peakInUse: number;
  /** Whether the stretch judged ended at a trim (RSS was given back then; malloc's free bytes remain). */
  beforeTrim: boolean;
  /** glibc's free bytes (`heap.free`, `fordblks`) over the stretch, median: unchanged by a trim, which only returns the pages. */
  free: number;
  /**
   * What a trim would give back now: the last sample's unexplained memory,
   * at most its `heap.free`, never below 0, bytes. An estimate: a trim
   * returns whole free pages only.
   */
  trimEstimate: number;
}

/**
 * How a leak finding's series behaved: `'rising'` (the finding), `'flat'`,
 * `'levelled'` (rose, then held level through the window's last two
 * thirds: warm-up, a cache filling), `'unclear'` (rose, but the samples
 * cannot yet tell a leak from garbage not yet collected, or the rise is
 * still small).
 */
export type LeakState = 'rising' | 'flat' | 'levelled' | 'unclear';

/** One finding scored, whether or not it passed. */
export interface Finding {
  /** Which problem. */
  kind: FindingKind;
  /**
   * 0 to 1. Each condition of the finding is scored by how far past its
   * threshold it is: r = measured / threshold (for a p-value,
   * r = significance / p) gives r / 2 below the threshold and 1 − 1 / (2r)
   * at or past it, so exactly 0.5 at the threshold. The finding's score is
   * its weakest condition's; it is found when the score is at least 0.5.
   */
  score: number;
  /** Whether the finding passed (score >= 0.5). */
  found: boolean;
  /** For the leak findings: how the series behaved. */
  state?: LeakState;
  /** For an `'unclear'` leak finding: why the samples cannot decide yet, in words. */
  why?: string;
  /** The finding in one sentence, with its numbers. */
  summary: string;
}

/** The evidence field a native-leak finding judged, see {@link Evidence.nativeSeries}. */
export type NativeSeries = 'inUse' | 'v8External' | 'outsideMalloc' | 'nativeResident';

/** The numbers behind a verdict, for a person to check. */
export interface Evidence {
  /** The samples used. */
  window: SampleWindow;
  /** Whether every sample had allocator statistics (`heap`); without them only RSS and V8 can be judged. */
  heapStats: boolean;
  /** `heap.inUse` (bytes the program holds through malloc); null without allocator statistics or with fewer than two samples. */
  inUse: SeriesEvidence | null;
  /** `process.resident` (RSS); null when a sample lacks it or with fewer than two samples. */
  resident: SeriesEvidence | null;
  /** `resident − shared − v8.physical`: RSS outside V8's heap and file pages, the native side as the kernel sees it; null like `resident`. */
  nativeResident: SeriesEvidence | null;
  /**
   * `resident − shared − v8.physical − heap.inUse − heap.free`, at least 0:
   * RSS outside V8 that malloc counts neither in use nor free (a lower
   * bound: some of malloc's free bytes may not be resident). Memory an allocator other than
   * malloc holds (a native addon's own), WebAssembly memories, native
   * mappings. Null without allocator statistics or RSS.
   */
  outsideMalloc: SeriesEvidence | null;
  /**
   * How much anonymous RSS rose beyond anything malloc or V8 counts, bytes
   * (negative when it did not): the low over the window's last third of
   * `resident − shared` less malloc's in-use and free and the most V8
   * counted as physical up to then, less the low over its first third of
   * `resident − shared − v8.physical − heap.inUse`. Allows for malloc's free
   * pages becoming resident again and for pages V8 stops counting but keeps
   * mapped; a rise of `leakMinBytes` or more is memory no malloc or V8
   * statistic holds (WebAssembly memories on Node 26, an addon's own
   * allocator, worker threads' heaps). Null without allocator statistics or RSS.
   */
  uncountedRise: number | null;
  /** `v8.used`: bytes of JS objects, live and not yet collected; null with fewer than two samples. */
  v8Used: SeriesEvidence | null;
  /** `v8.external`: ArrayBuffer and other memory JS objects keep alive outside V8's heap (V8 lowers it lazily after frees); null with fewer than two samples. */
  v8External: SeriesEvidence | null;
  /**
   * Which series the native-leak finding judged: `'inUse'` (malloc's
   * in-use); `'v8External'` where, after the Sampler's own collections,
   * V8's external memory stood `leakMinBytes` or more above in-use and that
   * excess rose as much — Buffers or ArrayBuffers whose memory an allocator
   * other than malloc holds (a native addon's own, e.g. mimalloc in addons
   * written in Rust), which in-use cannot see; `'outsideMalloc'` where
   * in-use held level while `outsideMalloc` rose beyond all malloc and V8
   * count (`uncountedRise`), or, without the Sampler's own collections,
   * rose with V8's external memory (no verdict yet, never stable); or
   * `'nativeResident'` without allocator statistics. Null with fewer than
   * two samples or without either.
   */
  nativeSeries: NativeSeries | null;
  /** Resident memory neither the program nor V8 accounts for; null without allocator statistics or RSS. */
  unexplained: UnexplainedMemory | null;
  /** How many times RSS fell by 8 MiB or 10 % between two samples while in-use and free memory did not: trims (ours or anyone's); null without allocator statistics. */
  trims: number | null;
  /**
   * Falls of `v8.used` between consecutive samples: collections seen in the
   * samples themselves (a lower bound), used when collection times are not given.
   */
  gcs: number;
  /**
   * Full garbage collections in the window, from `options.collections` or
   * `options.fullGcTimes`; null when neither is given. A forced collection
   * (`collectEveryMs`) counts once: the two GCs V8 reports for it, which
   * end within its pause, are not counted again (nor read again).
   */
  fullGcs: number | null;
  /** All garbage collections in the window (any kind), from `options.collections`, a forced one once; null when not given. */
  collections: number | null;
  /**
   * Of those, the full collections the Sampler ran itself (`collectEveryMs`,
   * `forced: true`); 0 when none or when collections are not given. With 3
   * or more, the readings after full collections (theirs and V8's own)
   * alone are the floors.
   */
  forcedCollections: number;
  /** Every finding with its score, found or not; empty for `'insufficient-data'`. */
  findings: Finding[];
  /** Found findings other than the verdict (e.g. fragmentation next to a leak). */
  secondary: Finding[];
  /** Remarks that qualify the verdict (missing statistics, a trim seen, a small growth ignored). */
  notes: string[];
}

/** What {@link diagnose} returns. */
export interface Diagnosis {
  /** The verdict. */
  verdict: Verdict;
  /**
   * 0 to 1: the verdict's finding score; for `'stable'` the lowest of
   * 1 − score over the findings; 0 for `'insufficient-data'`. Capped at 0.75
   * without allocator statistics, and for `'v8-leak'` without full-GC times.
   */
  confidence: number;
  /** The verdict in one or two plain sentences, with its key numbers. */
  summary: string;
  /** The numbers behind it. */
  evidence: Evidence;
  /** What to do, specific to the verdict and its numbers; the current allocator settings where they matter. */
  advice: string[];
}
