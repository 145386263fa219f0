/**
 * What the exporters publish, defined once: the Prometheus and
 * OpenTelemetry modules only translate these readings into their own
 * instruments, so both report the same numbers from the same sources.
 * @packageDocumentation
 */
import { allocator } from '../core/allocator';
import { binding } from '../core/native';
import { sampleHeap } from '../core/sample';
import { trimTotals, type TrimTotals } from '../trim/trim-stats';
import type { HeapStats } from '../core/types';

/** The `state` label/attribute values of the malloc bytes metric, and the heap field each reads. */
export const BYTES_HELP =
  'Bytes of the C allocator by state (glibc mallinfo2: in_use = uordblks + hblkhd, free = fordblks, mapped = arena + hblkhd, mmapped = hblkhd; jemalloc and tcmalloc: see the README, no mmapped state)';

export const BYTE_STATES = [
  ['in_use', 'inUse'],
  ['free', 'free'],
  ['mapped', 'mapped'],
  ['mmapped', 'mmapped'],
] as const satisfies ReadonlyArray<readonly [string, keyof HeapStats]>;

/** One reading for one scrape or collection. */
export interface MetricReading {
  /** Allocator bytes by state, or null where the allocator gives no statistics (nothing is exported then, never 0; `mmapped` is null outside glibc and is skipped). */
  heap: HeapStats | null;
  /** Live arena count (from `malloc_info`), or null where unavailable. */
  arenas: number | null;
  /** Trims mallinfo ran and the RSS they released. */
  trims: TrimTotals;
  /** How long this reading's allocator read took, in seconds (what `sample().costNs` would say, minus statm). */
  sampleDurationSeconds: number;
}

// The arena count: glibc's from malloc_info's <heap nr="…"> elements (no
// other interface tells it; counted natively as glibc writes the document),
// jemalloc's arenas.narenas. malloc_info walks every bin of every arena
// (~10–20 µs), so glibc's count is kept while it cannot have changed:
// glibc never frees an arena, and a new one always adds its first heap to
// mallinfo's `arena` (bytes the arenas took from the system). While that
// total stands still, so does the count.
let arenaCache: { systemBytes: number; count: number | null } | undefined;

function countArenas(heap: HeapStats): number | null {
  if (heap.allocator !== 'glibc') return heap.allocator === 'jemalloc' ? binding.arenaCount() : null;
  const systemBytes = heap.mallinfo.arena;
  if (arenaCache === undefined || arenaCache.systemBytes !== systemBytes) {
    arenaCache = { systemBytes, count: binding.arenaCount() };
  }
  return arenaCache.count;
}

/**
 * Takes one reading: the allocator part of `sample()` (statm and V8 are
 * skipped: `collectDefaultMetrics()` and OpenTelemetry's runtime metrics
 * export RSS and V8 already) and the arena count.
 */
export function readMetrics(): MetricReading {
  const s = sampleHeap();
  return {
    heap: s.heap,
    arenas: s.heap === null ? null : countArenas(s.heap),
    trims: trimTotals(),
    sampleDurationSeconds: s.costNs / 1e9,
  };
}

/** The allocator's identity, for the info metric/attributes. */
export function allocatorLabels(): { allocator: string; version: string } {
  const info = allocator();
  return { allocator: info.kind, version: info.version ?? 'unknown' };
}

/**
 * Shares one reading among every instrument collected in the same
 * synchronous pass (a prom-client scrape calls each metric's collect in
 * one loop): the first takes it, the rest reuse it, and it is dropped as
 * soon as the pass ends.
 */
export function sharedReading(): () => MetricReading {
  let current: MetricReading | undefined;
  return () => {
    if (current === undefined) {
      current = readMetrics();
      queueMicrotask(() => {
        current = undefined;
      });
    }
    return current;
  };
}

/** Loads an optional peer dependency, or explains how to install it. */
export function requirePeer<T>(name: string, entry: string): T {
  try {
    return require(name) as T;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' && String((error as Error).message).includes(`'${name}'`)) {
      throw new Error(`${entry} needs the optional peer dependency ${name}, which is not installed: npm install ${name}`, {
        cause: error,
      });
    }
    throw error;
  }
}
