/**
 * Fragmentation, told from working-set headroom: freed memory that stays
 * resident and that the program does not take back for a long stretch.
 * Free memory that in-use reaches into again and again (a cache churning
 * at its limit, bursts every few seconds) is headroom: trimming it would
 * be undone at once and cost page faults. What no in-use peak reached over
 * a long stretch (a third of the window or more) is memory a trim would return for good, as
 * long as the program keeps to that peak.
 * @packageDocumentation
 */
import type { Finding, UnexplainedMemory } from './diagnose-types';
import { thresholdScore, trimIndices, type Thresholds } from './findings';
import { median } from './stats';
import type { MemorySample } from '../core/types';
import { formatMB, formatSpan } from './words';

/** Anonymous RSS: resident less file-backed and shared pages (node's own code). */
const anon = (s: MemorySample): number => s.process!.resident - s.process!.shared;
/** Resident memory on the native side: anonymous RSS less V8's heap. */
const nativeResident = (s: MemorySample): number => anon(s) - s.v8.physical;
/** What neither malloc's in-use nor V8 accounts for. */
const held = (s: MemorySample): number => nativeResident(s) - s.heap!.inUse;

interface Stretch {
  idle: number;
  idleShare: number;
  peakInUse: number;
  fromMs: number;
  toMs: number;
}

/** What no in-use value reached over `samples[from..to)`, accumulated over a growing suffix. */
class Suffix {
  lowResident = Number.POSITIVE_INFINITY;
  lowAt = 0;
  peakInUse = 0;
  /** Samples miss the top of a burst: its peak may lie up to one interval's largest climb above the highest sample. */
  step = 0;

  add(samples: readonly MemorySample[], i: number, to: number): void {
    const r = nativeResident(samples[i]);
    if (r < this.lowResident) {
      this.lowResident = r;
      this.lowAt = i;
    }
    this.peakInUse = Math.max(this.peakInUse, samples[i].heap!.inUse);
    if (i + 1 < to) this.step = Math.max(this.step, samples[i + 1].heap!.inUse - samples[i].heap!.inUse);
  }

  stretch(samples: readonly MemorySample[], from: number, to: number): Stretch {
    const idle = Math.max(0, this.lowResident - this.peakInUse - this.step);
    return { idle, idleShare: idle / Math.max(1, anon(samples[this.lowAt])), peakInUse: this.peakInUse, fromMs: samples[from].time, toMs: samples[to - 1].time };
  }
}

/**
 * What stayed resident and unused through the last `minMs` before
 * `samples[to − 1]` (at least that long: freed memory unused for a long
 * stretch, as against headroom the program takes back at its own cadence),
 * with the stretch extended back for as long as at least half of that
 * amount stayed unused.
 */
function idleStretch(samples: readonly MemorySample[], start: number, to: number, minMs: number): Stretch {
  const suffix = new Suffix();
  const end = samples[to - 1].time;
  let i = to - 1;
  for (; i >= start; i--) {
    suffix.add(samples, i, to);
    if (end - samples[i].time >= minMs) break;
  }
  const judged = suffix.stretch(samples, Math.max(i, start), to);
  let longest = judged;
  for (i--; i >= start; i--) {
    suffix.add(samples, i, to);
    const s = suffix.stretch(samples, i, to);
    if (s.idle < judged.idle / 2) break;
    longest = s;
  }
  return { ...judged, fromMs: longest.fromMs };
}

/** The index of the first sample at or after `time`. */
function indexAt(samples: readonly MemorySample[], time: number): number {
  let i = 0;
  while (i < samples.length - 1 && samples[i].time < time) i++;
  return i;
}

/**
 * Resident memory neither in-use nor V8 explains, and how much of it no
 * in-use peak reached over the last third of the window (when trims
 * happened, also over the last third of what came before the first), and
 * for how long at least half of that stayed unused. Samples need
 * `heap` and `process`.
 */
export function unexplainedMemory(samples: readonly MemorySample[]): UnexplainedMemory {
  const n = samples.length;
  const start = samples[0].time;
  const end = samples[n - 1].time;
  const minMs = (end - start) / 3;
  let stretch = idleStretch(samples, 0, n, minMs);
  let beforeTrim = false;
  const trims = trimIndices(samples);
  if (trims.length > 0 && samples[trims[0]].time - start >= minMs) {
    // Before the first trim: after it, RSS no longer shows what glibc keeps.
    const before = idleStretch(samples, 0, trims[0], (samples[trims[0] - 1].time - start) / 3);
    if (before.idle > stretch.idle) {
      stretch = before;
      beforeTrim = true;
    }
  }
  const from = indexAt(samples, stretch.fromMs);
  const inStretch = samples.slice(from, indexAt(samples, stretch.toMs) + 1);
  const heldValues = inStretch.map(held);
  const last = samples[n - 1];
  const free = median(inStretch.map((s) => s.heap!.free));
  // Freed memory malloc keeps is in its free bytes: resident memory beyond
  // in-use that malloc does not count as free is not malloc's (a native
  // addon's own allocator: snappy's Buffers from Rust's mimalloc left 32 MB
  // of RSS beyond in-use with 1.7 MB free in malloc's arenas).
  const idle = Math.min(stretch.idle, free);
  return {
    latest: held(last),
    atFloor: median(heldValues),
    shareOfResident: median(heldValues) / median(inStretch.map(anon)),
    idle,
    idleShare: stretch.idle > 0 ? (stretch.idleShare * idle) / stretch.idle : 0,
    idleForMs: stretch.toMs - stretch.fromMs,
    peakInUse: stretch.peakInUse,
    beforeTrim,
    free,
    trimEstimate: Math.max(0, Math.min(held(last), last.heap!.free)),
  };
}

/** Fragmentation: enough freed memory stayed resident, unused by any in-use peak, through the stretch. */
export function fragmentationFinding(u: UnexplainedMemory, t: Thresholds): Finding {
  const score = Math.min(thresholdScore(u.idle / t.fragmentationMinBytes), thresholdScore(u.idleShare / t.fragmentationMinShare));
  const summary =
    `${formatMB(u.idle)} of freed memory stayed resident and unused for ${formatSpan(u.idleForMs)}${u.beforeTrim ? ' before a trim' : ''} ` +
    `(${(100 * u.idleShare).toFixed(0)} % of anonymous RSS; in-use peaked at ${formatMB(u.peakInUse)} meanwhile), ` +
    `with ${formatMB(u.free)} free in malloc's arenas`;
  return { kind: 'fragmentation', score, found: score >= 0.5, state: score >= 0.5 ? 'rising' : 'flat', summary };
}
