/**
 * The five series every view shows, read from a sample: one definition, so
 * the live panel, the summary and the HTML chart name and compute them alike.
 * @packageDocumentation
 */
import type { MemorySample } from '../core/types';

/** Keys of the series, also the keys of the summary's per-series values. */
export type SeriesKey = 'resident' | 'inUse' | 'free' | 'mapped' | 'v8Used';

/** One series: its key, its label and where its value comes from. */
export interface Series {
  key: SeriesKey;
  /** Short label for tables and the chart legend. */
  label: string;
  /** What it is and where it comes from, for the report. */
  description: string;
  /** The value in bytes, or null when the sample has no such number (never 0 instead). */
  of(sample: MemorySample): number | null;
}

export const SERIES: readonly Series[] = [
  {
    key: 'resident',
    label: 'RSS',
    description: 'resident set size, what ps and the OOM killer see (/proc/self/statm)',
    of: (s) => s.process?.resident ?? null,
  },
  {
    key: 'inUse',
    label: 'in use',
    description: 'bytes the program holds from malloc (mallinfo2 uordblks + hblkhd)',
    of: (s) => s.heap?.inUse ?? null,
  },
  {
    key: 'free',
    label: 'free',
    description: 'freed bytes malloc keeps instead of returning them (mallinfo2 fordblks)',
    of: (s) => s.heap?.free ?? null,
  },
  {
    key: 'mapped',
    label: 'mapped',
    description: 'bytes malloc obtained from the kernel (mallinfo2 arena + hblkhd)',
    of: (s) => s.heap?.mapped ?? null,
  },
  {
    key: 'v8Used',
    label: 'V8 heap',
    description: "bytes used in V8's JavaScript heap (v8.getHeapStatistics used_heap_size)",
    of: (s) => s.v8.used,
  },
];

/** The series shown in the live panel (mapped is in the chart and the summary). */
export const LIVE_SERIES: readonly Series[] = SERIES.filter((s) => s.key !== 'mapped');
