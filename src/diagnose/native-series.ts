/**
 * Which series a native leak is judged by: malloc's in-use, or, where
 * JavaScript keeps memory outside malloc (WebAssembly memories, Buffers a
 * native addon's own allocator holds), V8's external memory or the RSS that
 * malloc counts neither in use nor free.
 * @packageDocumentation
 */
import type { Collection } from './collections';
import type { Evidence, Finding, NativeSeries } from './diagnose-types';
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

/** Why a rise of memory outside malloc leaves the verdict open. */
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
 * Without the Sampler's own collections: where in-use held level (flat or
 * levelled) while the RSS that malloc counts neither in use nor free rose
 * and did not come back, with V8's external memory rising by a leak's size
 * and in step with it (`externalInStep`), the native finding becomes that series',
 * unclear: no "stable" (WebAssembly memories kept at 270 MB/min were called
 * stable), and no leak verdict either — that series also rises as malloc's
 * free pages become resident again (steady services rose 1–4 MB so, and a
 * leak verdict on it called 8 steady windows of the corpus a leak), and
 * V8's late count of freed Buffers moves external memory with it.
 */
export function outsideMallocOpen(
  e: Evidence,
  finding: Finding | null,
  passive: boolean,
  leakMinBytes: number,
  findingOf: (series: NativeSeries) => Finding,
): { series: NativeSeries | null; finding: Finding | null } {
  const unchanged = { series: e.nativeSeries, finding };
  if (!passive || finding === null || e.nativeSeries !== 'inUse' || !e.outsideMalloc || !e.v8External) return unchanged;
  if (finding.state !== 'flat' && finding.state !== 'levelled') return unchanged;
  if (keptRise(e.v8External) < leakMinBytes || !externalInStep(e.v8External, e.outsideMalloc)) return unchanged;
  const outside = findingOf('outsideMalloc');
  if (outside.state !== 'rising' && outside.state !== 'unclear') return unchanged;
  return { series: 'outsideMalloc', finding: { ...outside, score: 0, found: false, state: 'unclear', why: OUTSIDE_MALLOC_WHY } };
}
