/**
 * Which series a native leak is judged by: malloc's in-use, or, where
 * JavaScript keeps memory outside malloc (WebAssembly memories, Buffers a
 * native addon's own allocator holds), V8's external memory or the RSS that
 * malloc counts neither in use nor free.
 * @packageDocumentation
 */
import type { Collection } from './collections';
import type { Evidence, Finding, NativeSeries, SampleWindow } from './diagnose-types';
import type { MemorySample } from '../core/types';
import { externalInStep, keptRise } from './findings';
import { thirdOf } from './floors';

/** Fewest forced collections (a Sampler's collectEveryMs) in the window for their readings alone to be the floors: a pace needs 3 points. */
export const MIN_FORCED = 3;

/** How a native-leak finding names the series it judged. */
export const NATIVE_NAMES: Record<NativeSeries, string> = {
  inUse: 'In-use memory (malloc)',
  v8External: "V8's external memory (Buffers, ArrayBuffers) outside malloc",
  outsideMalloc: 'RSS outside V8 and malloc (neither in use nor free)',
  nativeResident: 'RSS outside V8',
};

/** Why a rise of memory beyond all malloc and V8 count leaves the verdict open. */
const UNCOUNTED_WHY = "beyond all malloc and V8 count, so none of their pages; the samples cannot yet tell a leak from garbage not yet collected";

/** Why a rise of memory outside malloc, with V8's external memory, leaves the verdict open. */
const OUTSIDE_MALLOC_WHY =
  "malloc's in-use held level and V8's external memory rose with it: JavaScript may keep memory outside malloc (WebAssembly memories, Buffers from a native addon's own allocator), " +
  'which only readings after full collections can tell from Buffers V8 has yet to count off (collectEveryMs)';

/**
 * The series a native leak is judged by: malloc's in-use, unless, after
 * the Sampler's own collections, V8's external memory stands above in-use
 * by `leakMinBytes` or more all through the window's last third, and that
 * excess rose by `leakMinBytes` or more since its first third. Memory
 * JavaScript keeps in Buffers and ArrayBuffers counts in V8's external
 * memory whichever allocator holds it, and in in-use only when malloc does:
 * external less in-use is a lower bound of the external memory an
 * allocator other than malloc holds (a native addon's own: snappy's
 * Buffers, from Rust's mimalloc, raised V8's external memory 10 MB, RSS
 * 38 MB and in-use 0.6 MB). Only readings after forced collections count:
 * V8 lowers its count of external memory when it next collects, so after
 * its own collections, or between them, the count still holds Buffers
 * already freed (it stood at 424 MB while in-use was 6.5 MB, idle after
 * bursts of Buffers); a forced collection runs two, the second settling the
 * first's count.
 */
export function nativeSeriesOf(forced: readonly Collection[], e: Evidence, leakMinBytes: number): NativeSeries | null {
  const readings = forced.filter((c) => c.inUse !== null && typeof c.v8External === 'number');
  if (e.inUse && e.v8External && readings.length >= MIN_FORCED) {
    const { start, durationMs } = e.window;
    const lows = [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY];
    for (const c of readings) {
      const third = thirdOf(c.time - start, durationMs);
      lows[third] = Math.min(lows[third], c.v8External! - c.inUse!);
    }
    if (lows[2] >= leakMinBytes && lows[2] - lows[0] >= leakMinBytes) return 'v8External';
  }
  if (e.inUse) return 'inUse';
  return e.nativeResident ? 'nativeResident' : null;
}

/**
 * How much anonymous RSS rose beyond anything malloc or V8 could explain,
 * bytes: the low, over the window's last third, of anonymous RSS less all
 * that malloc holds (in use and free) and less the most V8 counted as
 * physical up to then, less the low, over its first third, of anonymous
 * RSS less malloc's in-use and V8's physical size then. Two things raise
 * RSS outside what malloc and V8 count without memory being kept: malloc's
 * free pages that were not resident early (a trim's, or never written since
 * the heap grew) being written again, which the late term allows for in
 * full; and pages V8 stops counting as physical but keeps mapped (a steady
 * express service's V8 heap fell from 35 to 25 MB physical while RSS
 * outside it rose 13 MB), which the running peak allows for. Whatever rose
 * beyond both is memory no malloc or V8 statistic holds: WebAssembly
 * memories that V8 does not count as external (Node 26), an addon's own
 * allocator behind native handles, worker threads' heaps, native mappings.
 * (In-use pages never written, as of a large calloc, could rise so too;
 * programs write what they allocate.) Null without allocator statistics or RSS.
 */
export function uncountedRise(list: readonly MemorySample[], window: SampleWindow): number | null {
  if (list.length === 0 || list.some((s) => s.heap === null || s.process === null)) return null;
  let early = Number.POSITIVE_INFINITY;
  let late = Number.POSITIVE_INFINITY;
  let v8Peak = 0;
  for (const s of list) {
    const anonymous = s.process!.resident - s.process!.shared;
    v8Peak = Math.max(v8Peak, s.v8.physical);
    const third = thirdOf(s.time - window.start, window.durationMs);
    if (third === 0) early = Math.min(early, anonymous - s.v8.physical - s.heap!.inUse);
    if (third === 2) late = Math.min(late, anonymous - v8Peak - s.heap!.inUse - s.heap!.free);
  }
  return Number.isFinite(early) && Number.isFinite(late) ? late - early : null;
}

/**
 * The native finding where malloc's in-use held level (flat or levelled)
 * while RSS outside it rose and did not come back.
 *
 * Where that rise is beyond all malloc and V8 count (`uncountedRise`) by
 * a leak's size, the native leak is judged by that series, with or without
 * the Sampler's collections (70–110 MB of WebAssembly memories kept in 8 s
 * on Node 26, in-use flat and V8's external memory not counting them, was
 * called stable): a leak where its floor's rise is a finding, as for any
 * series, else open — garbage not yet collected (WebAssembly memories, an
 * addon's Buffers) lifts it too.
 *
 * Otherwise, without the Sampler's own collections, where V8's external
 * memory rose by a leak's size and in step with it (`externalInStep`), the
 * finding becomes that series', unclear: no "stable" (WebAssembly memories
 * kept at 270 MB/min were called stable), and no leak verdict either — that
 * series also rises as malloc's free pages become resident again (steady
 * services rose 1–4 MB so, and a leak verdict on it called 8 steady windows
 * of the corpus a leak), and V8's late count of freed Buffers moves
 * external memory with it.
 */
export function outsideMallocChoice(
  e: Evidence,
  finding: Finding | null,
  passive: boolean,
  leakMinBytes: number,
  findingOf: (series: NativeSeries) => Finding,
): { series: NativeSeries | null; finding: Finding | null } {
  const unchanged = { series: e.nativeSeries, finding };
  if (finding === null || e.nativeSeries !== 'inUse' || !e.outsideMalloc) return unchanged;
  if (finding.state !== 'flat' && finding.state !== 'levelled') return unchanged;
  const outside = findingOf('outsideMalloc');
  if (outside.state !== 'rising' && outside.state !== 'unclear') return unchanged;
  if (e.uncountedRise !== null && e.uncountedRise >= leakMinBytes) {
    if (outside.found) return { series: 'outsideMalloc', finding: outside };
    return { series: 'outsideMalloc', finding: { ...outside, score: 0, found: false, state: 'unclear', why: outside.why ?? UNCOUNTED_WHY } };
  }
  if (!passive || !e.v8External) return unchanged;
  if (keptRise(e.v8External) < leakMinBytes || !externalInStep(e.v8External, e.outsideMalloc)) return unchanged;
  return { series: 'outsideMalloc', finding: { ...outside, score: 0, found: false, state: 'unclear', why: OUTSIDE_MALLOC_WHY } };
}
