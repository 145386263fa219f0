/**
 * Sizes for people: bytes in KB/MB/GB (powers of 1024, as in the demo).
 * Shared by the log line and the CLI.
 * @packageDocumentation
 */

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

/** `bytes` in the largest unit that keeps it at or above 1 (1 MB = 2^20 bytes); `n/a` for null. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return 'n/a';
  const sign = bytes < 0 ? '-' : '';
  let value = Math.abs(bytes);
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${sign}${unit === 0 ? value.toFixed(0) : value.toFixed(1)} ${UNITS[unit]}`;
}
