/**
 * How `mallinfo run` tells the preload what to do: environment variables,
 * which every process of the command inherits (npm → sh → node included),
 * and a `--require` in NODE_OPTIONS next to the user's own options.
 * @packageDocumentation
 */

/** Path of the unix socket that the preload sends its records to. */
export const CHANNEL_ENV = 'MALLINFO_CHANNEL';
/** Milliseconds between samples. */
export const INTERVAL_ENV = 'MALLINFO_INTERVAL_MS';
/** Milliseconds between the sampler's own full collections (`--collect-every`); unset: none. */
export const COLLECT_EVERY_ENV = 'MALLINFO_COLLECT_EVERY_MS';
/** `1` to trim automatically (`--auto-trim`). */
export const AUTO_TRIM_ENV = 'MALLINFO_AUTO_TRIM';

/**
 * Quotes one NODE_OPTIONS argument. Node splits NODE_OPTIONS on spaces and
 * reads a double-quoted string as one argument, with backslash escaping the
 * next character inside it; so a path with spaces, quotes or backslashes
 * survives.
 */
export function quoteNodeOption(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** NODE_OPTIONS with `--require <preload>` first, then whatever the user had. */
export function nodeOptionsWithPreload(existing: string | undefined, preloadPath: string): string {
  const ours = `--require ${quoteNodeOption(preloadPath)}`;
  return existing === undefined || existing.trim() === '' ? ours : `${ours} ${existing}`;
}

/**
 * The file, in the channel's private directory, where a process that exits
 * before its connection is made (`process.exit()` in its first tick) leaves
 * the records it could not send; the CLI reads them when the run ends.
 */
export function exitSpoolName(pid: number): string {
  return `exit-${pid}.ndjson`;
}
/** Matches {@link exitSpoolName}'s names. */
export const EXIT_SPOOL_PATTERN = /^exit-\d+\.ndjson$/;
