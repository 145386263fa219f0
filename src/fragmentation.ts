/**
 * Fragmentation, told from working-set headroom: freed memory that stays
 * resident and that the program does not take back for a long stretch.
 * Free memory that in-use reaches into again and again (a cache churning
 * at its limit, bursts every few seconds) is headroom: trimming it would
 * be undone at once and cost page faults. What no in-use peak reached in
 * the last half of the window is memory a trim would return for good, as
 * long as the program keeps to that peak.
 * @packageDocumentation
 */
import type { Finding, UnexplainedMemory } from './diagnose-types';
import { thresholdScore, trimIndices, type Thresholds } from './findings';
import { median } from './stats';
import type { MemorySample } from './types';
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

/** Resident native memory that no in-use value reached over `samples[from..to)`. */
function stretchIdle(samples: readonly MemorySample[], from: number, to: number): Stretch {
  let lowResident = Number.POSITIVE_INFINITY;
  let lowAt = from;
  let peakInUse = 0;
  // Samples miss the top of a burst: its peak may lie up to one interval's
  // largest climb above the highest sample.
  let step = 0;
  for (let i = from; i < to; i++) {
    const r = nativeResident(samples[i]);
    if (r < lowResident) {
      lowResident = r;
      lowAt = i;
    }
    peakInUse = Math.max(peakInUse, samples[i].heap!.inUse);
    if (i > from) step = Math.max(step, samples[i].heap!.inUse - samples[i - 1].heap!.inUse);
  }
  const idle = Math.max(0, lowResident - peakInUse - step);
  return { idle, idleShare: idle / Math.max(1, anon(samples[lowAt])), peakInUse, fromMs: samples[from].time, toMs: samples[to - 1].time };
}

/** The index of the first sample at or after `time`. */
function indexAt(samples: readonly MemorySample[], time: number): number {
  let i = 0;
  while (i < samples.length - 1 && samples[i].time < time) i++;
  return i;
}

/**
 * Resident memory neither in-use nor V8 explains, and how much of it no
 * in-use peak reached in the last half of the window (or, when trims
 * happened, in the last half of what came before the first of them). Samples need
 * `heap` and `process`.
 */
export function unexplainedMemory(samples: readonly MemorySample[]): UnexplainedMemory {
  const n = samples.length;
  const start = samples[0].time;
  const end = samples[n - 1].time;
  let stretch = stretchIdle(samples, indexAt(samples, end - (end - start) / 2), n);
  let beforeTrim = false;
  const trims = trimIndices(samples);
  if (trims.length > 0 && samples[trims[0]].time - start >= (end - start) / 3) {
    // The last half of the window before the first trim: after it, RSS no longer shows what glibc keeps.
    const stop = trims[0];
    const before = stretchIdle(samples, indexAt(samples, start + (samples[stop - 1].time - start) / 2), stop);
    if (before.idle > stretch.idle) {
      stretch = before;
      beforeTrim = true;
    }
  }
  const from = indexAt(samples, stretch.fromMs);
  const inStretch = samples.slice(from, indexAt(samples, stretch.toMs) + 1);
  const heldValues = inStretch.map(held);
  const last = samples[n - 1];
  return {
    latest: held(last),
    atFloor: median(heldValues),
    shareOfResident: median(heldValues) / median(inStretch.map(anon)),
    idle: stretch.idle,
    idleShare: stretch.idleShare,
    idleForMs: stretch.toMs - stretch.fromMs,
    peakInUse: stretch.peakInUse,
    beforeTrim,
    free: median(inStretch.map((s) => s.heap!.free)),
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
