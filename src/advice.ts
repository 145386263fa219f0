/**
 * The words of a diagnosis: a summary and concrete advice per verdict,
 * with the diagnosis' own numbers and the current allocator settings.
 * @packageDocumentation
 */
import { allocator } from './allocator';
import type { Evidence, Finding, Verdict } from './diagnose-types';
import type { MallocSetting } from './malloc-settings';
import type { SeriesEvidence } from './series';

const MiB = 1024 * 1024;
const mb = (bytes: number): string => `${(bytes / MiB).toFixed(1)} MB`;
const perHour = (bytesPerSecond: number): string => `${((bytesPerSecond * 3600) / MiB).toFixed(1)} MB/hour`;
/** The options the words quote. */
interface Window {
  minSamples: number;
  minDurationMs: number;
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;

function floorWords(s: SeriesEvidence): string {
  const f = s.floor;
  return `its floor went from ${mb(f.start)} to ${mb(f.end)}: ${perHour(f.slope)} (95 % interval ${perHour(f.slopeLow)} to ${perHour(f.slopeHigh)})`;
}

/** The verdict in one or two plain sentences. */
export function summaryFor(verdict: Verdict, e: Evidence, opts: Window): string {
  const over = `over ${seconds(e.window.durationMs)} (${e.window.samples} samples)`;
  const native = e.inUse ?? e.nativeResident;
  let text: string;
  switch (verdict) {
    case 'insufficient-data':
      return (
        `No verdict yet: ${e.window.samples} samples over ${seconds(e.window.durationMs)}; ` +
        `a verdict needs at least ${opts.minSamples} samples over ${seconds(opts.minDurationMs)}.`
      );
    case 'native-leak':
      text = e.inUse
        ? `Native leak: memory in use through malloc, outside V8's heap, keeps rising; ${floorWords(native!)} ${over}.`
        : `Native leak (likely): RSS outside V8's heap keeps rising; ${floorWords(native!)} ${over}.`;
      break;
    case 'v8-leak':
      text = `V8 leak: the JS heap keeps rising after garbage collections; ${floorWords(e.v8Used!)} ${over}.`;
      break;
    case 'fragmentation': {
      const u = e.unexplained!;
      const kept =
        u.latest < u.peak / 2
          ? `the allocator kept up to ${mb(u.peak)} of freed memory resident (${(100 * u.peakShare).toFixed(0)} % of anonymous RSS) until a trim; ` +
            `glibc still holds ${mb(u.free)} free, which the next burst takes back,`
          : `the allocator keeps ${mb(u.atFloor)} of freed memory resident (${(100 * u.shareOfResident).toFixed(0)} % of anonymous RSS)`;
      text = `Fragmentation, not a leak: in-use memory returns to ${mb(e.inUse!.floor.end)} after each burst while ${kept} ${over}.`;
      break;
    }
    case 'stable':
      text =
        (native ? `Stable: ${e.inUse ? 'in-use' : 'native RSS'} returns to ${mb(native.floor.end)} ` : 'Stable: ') +
        `and V8's heap to ${mb(e.v8Used!.floor.end)}, with no significant rise, ${over}` +
        (e.unexplained ? `; the allocator keeps ${mb(Math.max(0, e.unexplained.atFloor))} resident beyond them.` : '.');
      break;
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
  const trimmed = u.latest < u.peak / 2 ? ` (RSS has already been trimmed; the next burst takes the ${mb(u.free)} free again)` : '';
  return [
    `A trim would give back about ${mb(u.trimEstimate)} now${trimmed}: await trim() after bursts, or let the Sampler trim when enough free memory is resident again (new Sampler({ autoTrim: { minFreeBytes } })).`,
    `Fewer arenas keep less freed memory across threads: MALLOC_ARENA_MAX=2, or GLIBC_TUNABLES=glibc.malloc.arena_max=2 (join several tunables with ':'); ${settings.arenas}.`,
    `Allocations at or above a fixed mmap threshold get their own mapping, returned to the kernel when freed: e.g. MALLOC_MMAP_THRESHOLD_=32768 for Buffers of 32 KiB and more, at the cost of an mmap/munmap each; ${settings.mmap}.`,
    `jemalloc hands freed memory back to the kernel over time: LD_PRELOAD=libjemalloc.so.2 node … (Debian/Ubuntu package libjemalloc2); ${settings.preload}.`,
    `Keep fewer objects alive across bursts, and copy small slices out of large Buffers (Buffer.from(buf.subarray(a, b))) instead of keeping views that pin the whole buffer.`,
  ];
}

function nativeLeakAdvice(e: Evidence): string[] {
  const native = (e.inUse ?? e.nativeResident)!;
  const advice = [
    e.inUse
      ? `In-use memory through malloc (not V8's heap) grows by ${perHour(native.floor.slope)}: ${mb(native.floor.growth)} over the window, ${floorWords(native)}.`
      : `RSS outside V8's heap grows by ${perHour(native.floor.slope)} (${floorWords(native)}); without allocator statistics this may also be the allocator keeping more and more freed memory.`,
  ];
  if (e.resident) advice.push(`At this rate RSS (now ${mb(e.resident.latest)}) grows by ${mb(native.floor.slope * 86_400)} a day.`);
  const external = e.v8External!.floor.slope;
  if (external >= 0.5 * native.floor.slope) {
    advice.push(
      `V8's external memory (ArrayBuffers, Buffers) grows by ${perHour(external)} too: JS objects hold the leaked memory. ` +
        `Compare two heap snapshots (v8.writeHeapSnapshot(), or node --heapsnapshot-signal=SIGUSR2 and kill -USR2 <pid>) and look for growing counts of ArrayBuffer/Buffer and what retains them.`,
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
  const advice = [`V8's heap used after garbage collection grows by ${perHour(v8.floor.slope)}: ${floorWords(v8)}.`];
  if (limit !== null && v8.floor.slope > 0) {
    const hours = (limit - v8.floor.end) / v8.floor.slope / 3600;
    advice.push(`At this rate the heap reaches its limit (${mb(limit)}) in about ${hours.toFixed(hours < 10 ? 1 : 0)} hours, then the process dies with "JavaScript heap out of memory".`);
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
      const wait = interval === null ? '' : ` At one sample every ${seconds(interval)}, that is about ${seconds(Math.max(opts.minSamples * interval, opts.minDurationMs))}.`;
      return [
        `Keep sampling: a verdict needs ${opts.minSamples} samples over ${seconds(opts.minDurationMs)}.${wait}`,
        `A leak under a sawtooth is told from the troughs: the window needs about six bursts or more.`,
      ];
    }
    case 'stable':
      return [`Nothing to do: no floor rises and the allocator keeps no large share of freed memory.`];
    default: {
      const advice = forFinding(verdict);
      for (const f of e.secondary) advice.push(forFinding(f.kind)[0]);
      return advice;
    }
  }
}
