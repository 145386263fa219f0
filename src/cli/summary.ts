/**
 * The end-of-run summary, computed from a run's data: about the primary
 * process (see {@link RunData.primary}), each series' peak, final value and
 * growth, the trims, the verdict, and a line for every other process. The
 * same object is printed, written as JSON (`--json`) and put in the report.
 * @packageDocumentation
 */
import type { AllocatorInfo } from '../core/allocator';
import type { TrimRecord } from './records';
import { thin } from '../diagnose/series';
import { trend } from '../diagnose/stats';
import type { MemorySample } from '../core/types';
import { SERIES, type Series, type SeriesKey } from './series';
import type { ProcessData, RunData } from './store';
import { verdictOf, type Diagnosis } from './verdict';

/** One series over the primary process's run. */
export interface SeriesSummary {
  label: string;
  /** Value in the first sample, bytes. */
  first: number | null;
  /** Highest value of any sample, bytes. */
  peak: number | null;
  /** Value in the last sample, bytes. */
  final: number | null;
  /**
   * Trend in bytes per minute: the Theil–Sen slope over the samples (the
   * median of the slopes between pairs, so a start-up step or a burst does
   * not pass for growth); null with fewer than two samples.
   */
  growthPerMinute: number | null;
}

/** Another Node process of the run, in brief. */
export interface ProcessSummary {
  pid: number;
  ppid: number;
  argv: string[];
  samples: number;
  /** Highest RSS sampled, bytes. */
  peakResident: number | null;
  /** RSS in its last sample, bytes. */
  finalResident: number | null;
  /** npm, npx, yarn, pnpm or corepack itself. */
  launcher: boolean;
  /** Whether the summary is about this one. */
  primary: boolean;
  /** Why it sent no samples, if it could not sample. */
  error: string | null;
  /** What it sampled without (`--auto-trim` unsupported there), if anything. */
  warning: string | null;
}

/** What `mallinfo run` and `mallinfo report` print at the end. */
export interface RunSummary {
  /** The command as given, or null when the file has no `run` record. */
  command: string[] | null;
  /** The command's exit code; null if a signal killed it or the end is unknown. */
  exitCode: number | null;
  /** The signal that killed the command, or null. */
  signal: string | null;
  /** From start to end of the command (or first to last sample when the file does not say), ms. */
  durationMs: number | null;
  intervalMs: number | null;
  /** Whether the run used `--auto-trim`; null when the file does not say. */
  autoTrim: boolean | null;
  /** The process the numbers below are about, or null when no process was sampled. */
  primary: {
    pid: number;
    argv: string[];
    node: string;
    samples: number;
    allocator: AllocatorInfo | null;
    allocatorEnv: Record<string, string>;
  } | null;
  series: Record<SeriesKey, SeriesSummary>;
  /** Trims done by `--auto-trim` in the primary process. */
  trims: TrimRecord[];
  /** diagnose() over the primary process's samples and full GCs; null when it has none. */
  diagnosis: Diagnosis | null;
  /** Every Node process of the run, the primary included. */
  processes: ProcessSummary[];
}

/** Points the growth trend is fitted to at most: Theil–Sen costs O(points²). */
const MAX_TREND_POINTS = 200;

function growthPerMinute(samples: readonly MemorySample[], series: Series): number | null {
  const points = samples.filter((s) => series.of(s) !== null);
  if (points.length < 2 || points[points.length - 1].time === points[0].time) return null;
  const kept = thin(points.map((_, i) => i), MAX_TREND_POINTS).map((i) => points[i]);
  const minutes = kept.map((s) => (s.time - points[0].time) / 60_000);
  return trend(minutes, kept.map((s) => series.of(s) as number)).slope;
}

function seriesSummary(p: ProcessData | undefined): Record<SeriesKey, SeriesSummary> {
  const out = {} as Record<SeriesKey, SeriesSummary>;
  for (const series of SERIES) {
    out[series.key] = {
      label: series.label,
      first: p?.first ? series.of(p.first) : null,
      peak: p?.peak[series.key] ?? null,
      final: p?.last ? series.of(p.last) : null,
      growthPerMinute: p ? growthPerMinute(p.samples, series) : null,
    };
  }
  return out;
}

function processSummary(p: ProcessData, primary: ProcessData | undefined): ProcessSummary {
  return {
    pid: p.pid,
    ppid: p.info.ppid,
    argv: p.info.argv,
    samples: p.count,
    peakResident: p.peak.resident,
    finalResident: p.last?.process?.resident ?? null,
    launcher: p.launcher,
    primary: p === primary,
    error: p.info.error,
    warning: p.info.warning ?? null,
  };
}

/** Summarizes a run (finished or not: the live view shows a running one). */
export function summarize(data: RunData): RunSummary {
  const primary = data.primary();
  let durationMs: number | null = null;
  if (data.run && data.end) durationMs = data.end.time - data.run.startedAt;
  else if (primary?.first && primary.last) durationMs = primary.last.time - primary.first.time;
  return {
    command: data.run?.command ?? null,
    exitCode: data.end?.exitCode ?? null,
    signal: data.end?.signal ?? null,
    durationMs,
    intervalMs: data.run?.intervalMs ?? null,
    autoTrim: data.run?.autoTrim ?? null,
    primary: primary
      ? {
          pid: primary.pid,
          argv: primary.info.argv,
          node: primary.info.node,
          samples: primary.count,
          allocator: primary.info.allocator,
          allocatorEnv: primary.info.allocatorEnv,
        }
      : null,
    series: seriesSummary(primary),
    trims: primary?.trims ?? [],
    diagnosis: primary ? verdictOf(primary.samples, primary.collections) : null,
    processes: [...data.processes.values()].map((p) => processSummary(p, primary)),
  };
}
