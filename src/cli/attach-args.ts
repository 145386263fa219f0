/**
 * Command-line parsing of `mallinfo attach <pid> [options]` (`node:util`
 * parseArgs, strict), in the house style of args.ts.
 * @packageDocumentation
 */
import { parseArgs } from 'node:util';
import { parseCollectEvery, parseInterval, UsageError } from './args';

/** Parsed `mallinfo attach`. */
export interface AttachArgs {
  pid: number;
  durationMs: number;
  intervalMs: number;
  /** `--collect-every`: ms between the sampler's own full collections in the target, or null (none). */
  collectEveryMs: number | null;
  trim: boolean;
  once: boolean;
  ndjson: string | undefined;
  html: string | undefined;
  quiet: boolean;
  json: boolean;
}

const DEFAULT_DURATION_MS = 30_000;
/** As for `mallinfo run`. */
const DEFAULT_INTERVAL_MS = 1000;
const MAX_PID = 2 ** 31 - 1;

const ATTACH_OPTIONS = {
  duration: { type: 'string' },
  interval: { type: 'string' },
  'collect-every': { type: 'string' },
  trim: { type: 'boolean' },
  once: { type: 'boolean' },
  ndjson: { type: 'string' },
  html: { type: 'string' },
  quiet: { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

/**
 * Parses the arguments after `attach`.
 * @throws UsageError for an unknown option, a missing or bad pid, a bad duration, options that do not go together.
 */
export function parseAttach(argv: readonly string[]): AttachArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: ATTACH_OPTIONS, strict: true, allowPositionals: true });
  } catch (error) {
    if (argv.includes('--auto-trim')) throw new UsageError('--auto-trim is for run; attach has --trim');
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) throw new UsageError(`attach takes one pid, got ${positionals.length === 0 ? 'none' : positionals.join(' ')}`);
  const [pid] = positionals;
  if (!/^[1-9]\d{0,9}$/.test(pid) || Number(pid) > MAX_PID) throw new UsageError(`the pid must be a positive integer, got ${JSON.stringify(pid)}`);
  const notWithOnce = (['duration', 'interval', 'collect-every', 'trim', 'ndjson', 'html', 'quiet'] as const).filter((name) => values[name] !== undefined);
  if (values.once && notWithOnce.length > 0) throw new UsageError(`--once takes one reading: --${notWithOnce[0]} does not go with it`);
  if (values.ndjson === '') throw new UsageError('--ndjson needs a file name');
  if (values.html === '') throw new UsageError('--html needs a file name');
  return {
    pid: Number(pid),
    durationMs: values.duration === undefined ? DEFAULT_DURATION_MS : parseInterval(values.duration, '--duration'),
    intervalMs: values.interval === undefined ? DEFAULT_INTERVAL_MS : parseInterval(values.interval),
    collectEveryMs: parseCollectEvery(values['collect-every'], null),
    trim: values.trim ?? false,
    once: values.once ?? false,
    ndjson: values.ndjson,
    html: values.html,
    quiet: values.quiet ?? false,
    json: values.json ?? false,
  };
}
