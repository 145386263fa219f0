/**
 * Sizes, durations and rates in the words of a diagnosis: honest units.
 * A rate is given per a span no longer than the window it was measured
 * over (a minute for a window of minutes); anything further is said to be
 * an extrapolation.
 * @packageDocumentation
 */

const KB = 1024;
const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

/** Bytes as MB with one decimal (`-` kept for falls; callers pass sizes, which are never negative). */
export function formatMB(bytes: number): string {
  if (Math.abs(bytes) >= 10 * GiB) return `${(bytes / GiB).toFixed(1)} GB`;
  if (Math.abs(bytes) < 0.1 * MiB && bytes !== 0) return `${(bytes / KB).toFixed(0)} KB`;
  return `${(bytes / MiB).toFixed(1)} MB`;
}

/** A duration in ms as seconds, minutes or hours. */
export function formatSpan(ms: number): string {
  const s = ms / 1000;
  if (s < 1) return `${Math.round(ms)} ms`;
  if (s < 10) return `${s.toFixed(1)} s`;
  if (s < 120) return `${s.toFixed(0)} s`;
  if (s < 7200) return `${(s / 60).toFixed(s < 600 ? 1 : 0)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The span a rate is said per, for a window of `windowMs`: a minute up to an hour's window, an hour up to two days', then a day. */
function rateSpan(windowMs: number): { ms: number; unit: string } {
  if (windowMs < HOUR) return { ms: MINUTE, unit: 'min' };
  if (windowMs < 2 * DAY) return { ms: HOUR, unit: 'hour' };
  return { ms: DAY, unit: 'day' };
}

/** A growth rate given in bytes per ms, in the unit that fits a window of `windowMs`: `3.2 MB/min`. */
export function formatRate(bytesPerMs: number, windowMs: number): string {
  const span = rateSpan(windowMs);
  const perSpan = bytesPerMs * span.ms;
  if (Math.abs(perSpan) >= GiB) return `${(perSpan / GiB).toFixed(1)} GB/${span.unit}`;
  if (Math.abs(perSpan) < 0.1 * MiB && perSpan !== 0) return `${(perSpan / KB).toFixed(0)} KB/${span.unit}`;
  return `${(perSpan / MiB).toFixed(1)} MB/${span.unit}`;
}

/**
 * What a rate would add over a day, said as the extrapolation it is when
 * the window was shorter than a day: `about 4.6 GB a day if it kept this
 * pace (measured over 60 s)`.
 */
export function formatDayProjection(bytesPerMs: number, windowMs: number): string {
  const perDay = bytesPerMs * DAY;
  const size = perDay >= GiB ? `${(perDay / GiB).toFixed(1)} GB` : `${(perDay / MiB).toFixed(0)} MB`;
  return windowMs >= DAY ? `${size} a day` : `about ${size} a day if it kept this pace (an extrapolation from ${formatSpan(windowMs)})`;
}
