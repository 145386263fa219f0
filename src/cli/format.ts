/**
 * Human units for the terminal and the report: sizes in KB/MB/GB
 * (powers of 1024, as in the demo), rates per minute, durations.
 * @packageDocumentation
 */

import { formatBytes } from '../core/units';

export { formatBytes };

/** A growth rate in bytes per minute, signed (`+3.2 MB/min`), or over a run shorter than a minute the change (`+1.1 MB in 40.0 s`); `n/a` for null. */
export function formatRate(bytesPerMinute: number | null | undefined, durationMs: number | null = null): string {
  if (bytesPerMinute === null || bytesPerMinute === undefined || !Number.isFinite(bytesPerMinute)) return 'n/a';
  // Under a minute of samples, a rate per minute would be an extrapolation: say the change over the run instead.
  if (durationMs !== null && durationMs < 60_000) {
    const change = (bytesPerMinute * durationMs) / 60_000;
    return `${change > 0 ? '+' : ''}${formatBytes(change)} in ${formatDuration(durationMs)}`;
  }
  return `${bytesPerMinute > 0 ? '+' : ''}${formatBytes(bytesPerMinute)}/min`;
}

/** A duration: `850 ms`, `12.3 s`, `4 min 05 s`, `2 h 03 min`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const totalSeconds = Math.round(ms / 1000);
  const minutes = Math.floor(totalSeconds / 60);
  if (minutes < 60) return `${minutes} min ${String(totalSeconds % 60).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** A command line for display: arguments joined by spaces, those with spaces or quotes quoted. */
export function formatCommand(command: readonly string[]): string {
  return command.map((arg) => (arg === '' || /[\s"'\\$`]/.test(arg) ? JSON.stringify(arg) : arg)).join(' ');
}

const BARS = '▁▂▃▄▅▆▇█';

/**
 * A sparkline of the last `width` values, bars in proportion to the value
 * (0 to the largest shown), so that a small step on a flat series does not
 * look like a climb; nulls are blanks.
 */
export function sparkline(values: readonly (number | null)[], width: number): string {
  const shown = values.slice(-width);
  const max = Math.max(0, ...shown.filter((v): v is number => v !== null));
  return shown
    .map((v) => {
      if (v === null) return ' ';
      return BARS[max <= 0 ? 0 : Math.max(0, Math.round((v / max) * (BARS.length - 1)))];
    })
    .join('');
}
