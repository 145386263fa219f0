/**
 * The words of a diagnosis: a summary and concrete advice per verdict,
 * with the diagnosis' own numbers and the current allocator settings.
 * @packageDocumentation
 */
import { allocator } from '../core/allocator';
import type { Evidence, Finding, NativeSeries, Verdict } from './diagnose-types';
import type { MallocSetting } from '../core/malloc-settings';
import { externalInStep, keptRise, leakPace, RISE_OVER_FALLS } from './findings';
import { NATIVE_NAMES } from './native-series';
import type { SeriesEvidence } from './series';
import { formatDayProjection, formatMB, formatRate, formatSpan } from './words';

/** The options the words quote. */
interface Window {
  minSamples: number;
  minDurationMs: number;
  leakMinBytes: number;
}

/**
 * Growth per ms of a series: the pace its leak finding judged it by
 * ({@link leakPace}) where that rises, else its kept rise over the window.
 * `afterFull`: V8's heap with full collections known.
 */
function ratePerMs(s: SeriesEvidence, windowMs: number, afterFull: boolean): number {
  const pace = leakPace(s.held, afterFull);
  const fitted = pace === null ? 0 : pace.slope / 1000;
  return fitted > 0 ? fitted : (1.5 * Math.max(0, keptRise(s))) / Math.max(1, windowMs);
}

/** `rose 45.5 MB over 24 s (2.5 → 48.0 MB), about 113.8 MB/min` */
function riseWords(s: SeriesEvidence, windowMs: number, afterFull: boolean): string {
  const h = s.held;
  return (
    `rose ${formatMB(Math.max(0, keptRise(s)))} over ${formatSpan(windowMs)} and did not come back ` +
    `(lowest ${formatMB(h.lows[0])} early on, ${formatMB(h.lows[2])} in the last third), about ${formatRate(ratePerMs(s, windowMs, afterFull), windowMs)}`
  );
}

/** How many full collections the rise survived, in words: the evidence the finding rested on. */
function collectedWords(e: Evidence, s: SeriesEvidence): string {
  const h = s.held;
  if (e.fullGcs === null) return '';
  if (h.collections[2] > 0) return ` It held through ${e.fullGcs} full garbage collection${e.fullGcs === 1 ? '' : 's'}.`;
  if (h.rise >= RISE_OVER_FALLS * h.largestFall) return ' No full garbage collection has run since it rose, but no collection in the window ever gave back that much.';
  // Otherwise a reading after an earlier full collection stood above an earlier low (confirmedGrowth).
  const cg = h.confirmedGrowth;
  if (cg === null || h.lastConfirmed === null) return ' No full garbage collection has run since it rose.';
  return (
    ` The last full garbage collection, ${formatSpan(h.lastConfirmed.at * 1000)} into the window, left it ${formatMB(cg.bytes)} above its lowest earlier reading;` +
    ' none has run since, so the rest of the rise may still be garbage.'
  );
}

/** Whether the native series grows in step with V8's external memory (Buffers, ArrayBuffers), or the external memory is what was judged. */
function externalFollows(e: Evidence): boolean {
  if (e.nativeSeries === 'v8External') return true;
  const native = nativeOf(e);
  if (!native || !e.v8External || e.nativeSeries === 'nativeResident') return false;
  return externalInStep(e.v8External, native);
}

/** The series the native-leak finding judged (see Evidence.nativeSeries). */
function nativeOf(e: Evidence): SeriesEvidence | null {
  return e.nativeSeries === null ? null : e[e.nativeSeries];
}

/** The native series in a short phrase (NATIVE_NAMES names it as a sentence's subject). */
const NATIVE_SHORT: Record<NativeSeries, string> = {
  inUse: 'in-use',
  v8External: "V8's external memory",
  outsideMalloc: 'memory outside malloc',
  nativeResident: 'native RSS',
};

/** Where external memory was judged: an allocator other than malloc holds it, and what that means for the advice. */
const OTHER_ALLOCATOR =
  "malloc's in-use did not follow it, so an allocator other than malloc holds that memory (a native addon's own, e.g. mimalloc in addons written in Rust): " +
  'malloc_trim and the allocator settings do not reach it';

/** Who holds resident memory that neither malloc nor V8 counts. */
const OUTSIDE_HOLDERS =
  "WebAssembly memories, a native addon's own allocator, worker threads' heaps or native mappings hold it, and malloc_trim and the allocator settings do not reach it";

/** The series whose rise left the verdict open, with why. */
function undecided(e: Evidence): string | null {
  const f = e.findings.find((x) => x.state === 'unclear');
  if (!f) return null;
  const s = f.kind === 'v8-leak' ? e.v8Used! : nativeOf(e)!;
  const what = f.kind === 'v8-leak' ? "V8's heap" : NATIVE_NAMES[e.nativeSeries!];
  const why = f.why ?? 'the samples cannot tell it from garbage yet';
  return `${what} ${riseWords(s, e.window.durationMs, f.kind === 'v8-leak' && e.fullGcs !== null)}; ${why}`;
}

/** The verdict in one or two plain sentences. */
export function summaryFor(verdict: Verdict, e: Evidence, opts: Window): string {
  const span = formatSpan(e.window.durationMs);
  const over = `over ${span} (${e.window.samples} samples)`;
  const native = nativeOf(e);
  let text: string;
  switch (verdict) {
    case 'insufficient-data': {
      const open = undecided(e);
      if (open) return `No verdict yet: ${open}. Keep sampling.`;
      return (
        `No verdict yet: ${e.window.samples} samples over ${formatSpan(e.window.durationMs)}; ` +
        `a verdict needs at least ${opts.minSamples} samples over ${formatSpan(opts.minDurationMs)}.`
      );
    }
    case 'native-leak':
      if (e.nativeSeries === 'v8External') {
        text = `Native memory is leaking: Buffers or ArrayBuffers kept by JavaScript, outside V8's heap; V8's external memory ${riseWords(native!, e.window.durationMs, false)}.`;
        text += collectedWords(e, native!);
        text += ` ${OTHER_ALLOCATOR.charAt(0).toUpperCase()}${OTHER_ALLOCATOR.slice(1)}.`;
        break;
      }
      if (e.nativeSeries === 'outsideMalloc') {
        text = `Native memory is leaking outside malloc: RSS that neither V8's heap nor malloc counts (in use or free) ${riseWords(native!, e.window.durationMs, false)}, while malloc's in-use held level.`;
        text += collectedWords(e, native!);
        text += ` ${OUTSIDE_HOLDERS}.`;
        if (externalFollows(e)) text += " V8's external memory grows with it: Buffers or ArrayBuffers kept by JavaScript hold it.";
        break;
      }
      text = e.inUse
        ? `Native memory is leaking: in-use memory through malloc, outside V8's heap, ${riseWords(native!, e.window.durationMs, false)}.`
        : `Native memory is likely leaking: RSS outside V8's heap ${riseWords(native!, e.window.durationMs, false)}.`;
      text += collectedWords(e, native!);
      if (externalFollows(e)) text += " It grows in step with V8's external memory: Buffers or ArrayBuffers kept by JavaScript hold it.";
      break;
    case 'v8-leak':
      text = `JavaScript objects are leaking: V8's heap after garbage collections ${riseWords(e.v8Used!, e.window.durationMs, e.fullGcs !== null)}.`;
      text += collectedWords(e, e.v8Used!);
      break;
    case 'fragmentation': {
      const u = e.unexplained!;
      // "Not a leak" only when no leak finding is still open.
      const open = undecided(e);
      text =
        `Fragmentation${open || e.secondary.length > 0 ? '' : ', not a leak'}: ${formatMB(u.idle)} of freed memory stayed resident and unused for ${formatSpan(u.idleForMs)}` +
        `${u.beforeTrim ? ' until a trim returned it' : ''} while in-use peaked at ${formatMB(u.peakInUse)}; ${span}, ${e.window.samples} samples.`;
      if (open) text += ` Not yet told from garbage: ${open}.`;
      break;
    }
    case 'stable': {
      const v8 = e.v8Used!;
      const collections = e.fullGcs === null ? '' : ` across ${e.fullGcs} full garbage collection${e.fullGcs === 1 ? '' : 's'}`;
      text =
        `Stable: nothing rose and stayed ${over}${collections}` +
        (native ? `; ${NATIVE_SHORT[e.nativeSeries!]} kept returning to about ${formatMB(native.held.lows[2])}` : '') +
        ` and V8's heap to about ${formatMB(v8.held.lows[2])}.`;
      if (e.findings.some((f) => f.state === 'levelled')) text += ' Some memory grew early in the window and then held level (warm-up, or a cache reaching its size).';
      break;
    }
  }
  for (const f of e.secondary) text += ` Also ${f.kind}: ${f.summary}.`;
  return text;
}

/** The allocator settings the advice quotes, as glibc read them at start-up (`allocator().settings`). */
function settingsWords(): { arenas: string; mmap: string; preload: string } {
  const info = allocator();
  const origin = (s: MallocSetting): string => (s.setBy === null ? "glibc's default" : `set by ${s.setBy}`);
  const settings = info.settings;
  const preload = process.env.LD_PRELOAD;
  return {
    arenas: settings ? `now at most ${settings.arenaMax.value} arenas (${origin(settings.arenaMax)})` : `now ${info.kind} serves malloc`,
    mmap: settings
      ? `now ${settings.mmapThreshold.value} bytes (${origin(settings.mmapThreshold)}${settings.dynamicMmapThreshold ? ', raised by glibc up to 32 MiB as large chunks are freed' : ''})`
      : `now ${info.kind} serves malloc`,
    preload: `now ${preload ? `LD_PRELOAD=${preload}` : 'LD_PRELOAD is not set'}, ${info.kind} serves malloc`,
  };
}

function fragmentationAdvice(e: Evidence): string[] {
  const u = e.unexplained!;
  const settings = settingsWords();
  const trim = u.beforeTrim
    ? `Trims already return it (RSS fell while glibc still holds ${formatMB(u.free)} free): keep trimming when it is resident again (new Sampler({ autoTrim: { minFreeBytes } })).`
    : `A trim would give back about ${formatMB(Math.min(u.trimEstimate, Math.max(u.idle, 0)))} now, and it would stay returned while in-use stays below the ${formatMB(u.peakInUse)} it peaked at in the samples of the last ${formatSpan(u.idleForMs)}: ` +
      `await trim() after bursts, or let the Sampler trim when enough free memory is resident again (new Sampler({ autoTrim: { minFreeBytes } })). ` +
      `Samples do not see memory allocated and freed inside one synchronous call (a large parse, a model or module loaded): trim() reports what came back, and if RSS climbs back within seconds, that memory was headroom for such calls.`;
  return [
    trim,
    `Fewer arenas keep less freed memory across threads: MALLOC_ARENA_MAX=2, or GLIBC_TUNABLES=glibc.malloc.arena_max=2 (join several tunables with ':'); ${settings.arenas}.`,
    `Allocations at or above a fixed mmap threshold get their own mapping, returned to the kernel when freed: e.g. MALLOC_MMAP_THRESHOLD_=32768 for Buffers of 32 KiB and more, at the cost of an mmap/munmap each; ${settings.mmap}.`,
    `jemalloc hands freed memory back to the kernel over time: LD_PRELOAD=libjemalloc.so.2 node … (Debian/Ubuntu package libjemalloc2); ${settings.preload}.`,
    `Keep fewer objects alive across bursts, and copy small slices out of large Buffers (Buffer.from(buf.subarray(a, b))) instead of keeping views that pin the whole buffer.`,
  ];
}

function nativeLeakAdvice(e: Evidence): string[] {
  const native = nativeOf(e)!;
  const windowMs = e.window.durationMs;
  const rate = ratePerMs(native, windowMs, false);
  const first = {
    inUse: `In-use memory through malloc (not V8's heap) ${riseWords(native, windowMs, false)}.`,
    v8External: `V8's external memory (Buffers, ArrayBuffers; not V8's heap) ${riseWords(native, windowMs, false)}; ${OTHER_ALLOCATOR}.`,
    outsideMalloc: `RSS that neither V8's heap nor malloc counts (in use or free) ${riseWords(native, windowMs, false)}, while in-use held level: ${OUTSIDE_HOLDERS}.`,
    nativeResident: `RSS outside V8's heap ${riseWords(native, windowMs, false)}; without allocator statistics this may also be the allocator keeping more and more freed memory.`,
  };
  const advice = [first[e.nativeSeries!]];
  if (e.resident) advice.push(`RSS is ${formatMB(e.resident.latest)} now and would grow by ${formatDayProjection(rate, windowMs)}.`);
  if (externalFollows(e)) {
    advice.push(
      `${e.nativeSeries === 'v8External' ? 'JavaScript objects hold the leaked memory (ArrayBuffers, Buffers)' : "V8's external memory (ArrayBuffers, Buffers) grows with it: JavaScript objects hold the leaked memory"}. ` +
        `Compare two heap snapshots (v8.writeHeapSnapshot(), or node --heapsnapshot-signal=SIGUSR2 and kill -USR2 <pid>) and look for growing counts of ArrayBuffer/Buffer and what retains them.`,
    );
  } else if (e.nativeSeries === 'outsideMalloc') {
    advice.push(
      `V8's external memory does not follow it. Find the mappings that grow: compare pmap -x <pid> (or /proc/<pid>/smaps) taken a minute apart, and look for anonymous mappings that grow or multiply. ` +
        `WebAssembly.Memory objects kept, worker threads never terminated, and addons with their own allocator are the usual holders; heaptrack and valgrind see malloc only.`,
      // Measured with Buffers made and dropped (24.22.3, 22.23.5, 26.12.1, 20.20.2): see docs/diagnosis.md, Limits.
      `Node 22 and 24 add to this memory themselves as Buffers and ArrayBuffers are made, kept or not: V8 moves whole young-generation pages ` +
        `to the old generation (page promotion) and leaves memory resident that it no longer counts — on Node 24 about 40 MB after 400,000 Buffers made and dropped, ` +
        `still rising; on Node 22 up to about 30 MB. Run the program once with node --no-page-promotion: if the rise stops, it is V8's, not the program's ` +
        `(Node 20 and 26 do not do this).`,
    );
  } else {
    advice.push(
      `V8's external memory does not follow it: the leak is in native code (an addon, zlib/crypto streams never closed, native handles). ` +
        `Find it with heaptrack (heaptrack node app.js) or valgrind --leak-check=full node app.js.`,
    );
  }
  return advice;
}

function v8LeakAdvice(e: Evidence, limit: number | null): string[] {
  const v8 = e.v8Used!;
  const windowMs = e.window.durationMs;
  const afterFull = e.fullGcs !== null;
  const rate = ratePerMs(v8, windowMs, afterFull);
  const advice = [`V8's heap used after garbage collections ${riseWords(v8, windowMs, afterFull)}.`];
  if (limit !== null && rate > 0) {
    const ms = (limit - v8.held.lows[2]) / rate;
    advice.push(
      `If it kept this pace, the heap would reach its limit (${formatMB(limit)}) in about ${formatSpan(ms)} (an extrapolation from ${formatSpan(windowMs)}), and the process would die with "JavaScript heap out of memory".`,
    );
  }
  advice.push(
    `Take two heap snapshots a few minutes apart and compare them (Chrome DevTools → Memory → Comparison): start node with --heapsnapshot-signal=SIGUSR2 and run kill -USR2 <pid>, or call v8.writeHeapSnapshot(). A snapshot pauses the process and needs about the heap's size again in memory.`,
    `Look for Maps, arrays, caches and listeners that only grow; --max-old-space-size only postpones the crash.`,
  );
  return advice;
}

/** Concrete advice for the verdict, then the first line of each secondary finding's advice. */
export function adviceFor(verdict: Verdict, e: Evidence, opts: Window, v8Limit: number | null = null): string[] {
  const forFinding = (kind: Finding['kind']): string[] =>
    kind === 'fragmentation' ? fragmentationAdvice(e) : kind === 'native-leak' ? nativeLeakAdvice(e) : v8LeakAdvice(e, v8Limit);
  switch (verdict) {
    case 'insufficient-data': {
      const interval = Number.isFinite(e.window.intervalMs) ? e.window.intervalMs : null;
      if (undecided(e)) {
        // On the recorded corpus, of the windows of 15–30 s left open, 42 % were decided
        // after as long again, 49 % after 3 times as long, 64 % after 5 times (docs/diagnosis.md).
        const more = Math.max(e.window.durationMs, (interval ?? 1000) * 10);
        const advice = [
          `Keep sampling for ${formatSpan(more)} more at least (noisy series can need several times the window): a leak shows as a rise that survives full garbage collections; garbage not yet collected falls back at the next one.`,
        ];
        // Already collecting: what is left open is live memory that swings (a working set, or garbage of worker threads).
        if (e.forcedCollections === 0)
          advice.push(
            `To decide in seconds, let the sampler run its own full collections where a pause of a few ms per MB of heap is fine: new Sampler({ collectEveryMs: 2000 }), or mallinfo run --collect-every 2s; readings after full collections are live memory, with no garbage to wait for.`,
          );
        return advice;
      }
      const wait = interval === null ? '' : ` At one sample every ${formatSpan(interval)}, that is about ${formatSpan(Math.max(opts.minSamples * interval, opts.minDurationMs))}.`;
      return [
        `Keep sampling: a verdict needs ${opts.minSamples} samples over ${formatSpan(opts.minDurationMs)}.${wait}`,
        `A leak under a sawtooth is told from what survives collections: the window needs several full garbage collections.`,
      ];
    }
    case 'stable':
      return [
        e.findings.some((f) => f.state === 'levelled')
          ? `Nothing to do now: what grew early on has held level since. If it rises again, sample longer.`
          : `Nothing to do: nothing rose and stayed, and no freed memory stayed resident unused.`,
      ];
    default: {
      const advice = forFinding(verdict);
      for (const f of e.secondary) advice.push(forFinding(f.kind)[0]);
      return advice;
    }
  }
}
