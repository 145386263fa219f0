/**
 * Command-line parsing (`node:util` parseArgs, strict): `mallinfo run
 * [options] -- <command> [args...]`, `mallinfo report <file> [options]` and
 * `mallinfo attach <pid> [options]`.
 * Everything after `--`, or from the first argument that is not an option,
 * belongs to the command, untouched.
 * @packageDocumentation
 */
import { parseArgs } from 'node:util';
import { sameFile } from './same-file';

/** A mistake on the command line: printed with the usage, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const USAGE = `Usage:
  mallinfo run [options] -- <command> [args...]
  mallinfo report <samples.ndjson> [--html <file>] [--json]
  mallinfo attach <pid> [--duration 30s] [--interval 1s] [--trim] [--once] [options]

run options:
  --interval <duration>  time between samples: 500ms, 1s, 10s, 2m (default 1s)
  --ndjson <file>        write every record of the run to <file> (NDJSON)
  --html <file>          write a self-contained HTML report to <file>
  --auto-trim            let the watched process call malloc_trim when it pays
  --collect-every <duration|off>  run a full garbage collection in the
                         watched process at most this often, after a sample
                         (default 1s; off: none): the verdict reads live
                         memory and comes in seconds; the pauses stay under
                         5 % of the run, so a large heap is collected less
                         often (see docs/diagnosis.md)
  --attribute            name what grew: heap snapshots at a baseline and at exit,
                         diffed (each pauses the command: see docs/attribution.md)
  --attribute-baseline <duration>  when the baseline is taken (default 1s)
  --pprof <file>         with --attribute: write what grew as a pprof profile
  --attribute-native     also native memory JS does not see: runs the command
                         under jemalloc's heap profiler (libjemalloc2)
  --pprof-native <file>  write the native stacks that grew as a pprof profile
  --quiet                no live view (the summary is still printed)
  --json                 print the summary as one JSON line on stdout
                         (the text summary is then left out)
report options:
  --html <file>          write the HTML report of the saved run to <file>
  --json                 print the summary as one JSON line on stdout
attach options (a running Node process of this user, through its inspector):
  --duration <duration>  how long to sample it (default 30s)
  --interval <duration>  time between samples (default 1s)
  --collect-every <duration>  as for run: full collections in the target
                         (default off: it is a running server)
  --trim                 at the end, malloc_trim in it and measure what came back
  --once                 one reading (RSS, in-use, free, arenas, settings), no sampling
  --ndjson, --html, --quiet, --json   as for run`;

/** Parsed `mallinfo run`. */
export interface RunArgs {
  command: string;
  args: string[];
  intervalMs: number;
  ndjson: string | undefined;
  html: string | undefined;
  autoTrim: boolean;
  /** `--collect-every`: ms between the sampler's own full collections, or null (none). */
  collectEveryMs: number | null;
  quiet: boolean;
  json: boolean;
  /** `--attribute`: the baseline's delay in ms, or null when not asked. */
  attributeBaselineMs: number | null;
  /** `--pprof`: where to write what grew. */
  pprof: string | undefined;
  /** `--attribute-native`: jemalloc's heap profiler too. */
  attributeNative: boolean;
  /** `--pprof-native`: where to write the native stacks that grew. */
  pprofNative: string | undefined;
}

/** Parsed `mallinfo report`. */
export interface ReportArgs {
  file: string;
  html: string | undefined;
  json: boolean;
}

export type CliArgs =
  | { kind: 'run'; run: RunArgs }
  | { kind: 'report'; report: ReportArgs }
  /** Its arguments, parsed by attach-args.ts. */
  | { kind: 'attach'; argv: string[] }
  | { kind: 'help' };

const DEFAULT_INTERVAL_MS = 1000;
/**
 * `mallinfo run` collects every second by default: readings after full
 * collections are live memory, so a verdict comes in seconds and a steady
 * service's garbage is not mistaken for a leak (docs/diagnosis.md); the
 * Sampler keeps the pauses under 5 % of the run.
 */
const DEFAULT_COLLECT_EVERY_MS = 1000;
/** Sampling more often than this measures mostly the sampling (mallinfo2 takes locks). */
const MIN_INTERVAL_MS = 10;
const MAX_INTERVAL_MS = 2 ** 31 - 1;
const UNIT_MS: Record<string, bigint> = { ms: 1n, s: 1000n, m: 60_000n };

/**
 * Parses a duration with its unit: `500ms`, `1s`, `1.5s`, `2m`. A bare
 * number is refused (is `5` seconds or milliseconds?), as are 0, negative
 * values, anything under 10 ms and fractions of a millisecond.
 * @throws UsageError saying what was expected.
 */
export function parseInterval(text: string, option = '--interval'): number {
  const match = /^(\d+)(?:\.(\d+))?(ms|s|m)$/.exec(text);
  const expected = `${option} must be a duration from ${MIN_INTERVAL_MS}ms, with its unit (500ms, 1s, 10s, 2m), got ${JSON.stringify(text)}`;
  if (!match) throw new UsageError(expected);
  const [, whole, fraction = '', unit] = match;
  // In exact decimal arithmetic: in binary floating point 32.2 * 1000 is 32200.000000000004, not a whole ms.
  const scaled = BigInt(whole + fraction) * UNIT_MS[unit];
  const divisor = 10n ** BigInt(fraction.length);
  const ms = scaled / divisor;
  if (scaled % divisor !== 0n || ms < MIN_INTERVAL_MS || ms > MAX_INTERVAL_MS) throw new UsageError(expected);
  return Number(ms);
}

/**
 * `--collect-every`: a duration, or `off` for none (null); `fallback` when
 * not given.
 * @throws UsageError saying what was expected.
 */
export function parseCollectEvery(text: string | undefined, fallback: number | null): number | null {
  if (text === undefined) return fallback;
  if (text === 'off') return null;
  try {
    return parseInterval(text, '--collect-every');
  } catch {
    throw new UsageError(`--collect-every must be off or a duration from ${MIN_INTERVAL_MS}ms, with its unit (500ms, 1s, 10s, 2m), got ${JSON.stringify(text)}`);
  }
}

/** Runs a parseArgs call, turning its errors (unknown option, missing value) into UsageErrors. */
function orUsageError<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

const RUN_OPTIONS = {
  interval: { type: 'string' },
  ndjson: { type: 'string' },
  html: { type: 'string' },
  'auto-trim': { type: 'boolean' },
  'collect-every': { type: 'string' },
  quiet: { type: 'boolean' },
  json: { type: 'boolean' },
  attribute: { type: 'boolean' },
  'attribute-baseline': { type: 'string' },
  pprof: { type: 'string' },
  'attribute-native': { type: 'boolean' },
  'pprof-native': { type: 'string' },
} as const;

/** Where the command starts: after `--`, else at the first argument that is not an option. */
function commandStart(argv: readonly string[]): { options: string[]; command: string[] } {
  const terminator = argv.indexOf('--');
  // Parse leniently only to find the first positional; the options are parsed strictly below.
  const { tokens } = parseArgs({ args: [...argv], options: RUN_OPTIONS, strict: false, allowPositionals: true, tokens: true });
  const positional = tokens.find((t) => t.kind === 'positional');
  const at = positional === undefined ? -1 : positional.index;
  if (terminator !== -1 && (at === -1 || terminator < at)) {
    return { options: argv.slice(0, terminator), command: argv.slice(terminator + 1) };
  }
  return at === -1 ? { options: [...argv], command: [] } : { options: argv.slice(0, at), command: argv.slice(at) };
}

/** The report written over its own samples would lose them: refused, whatever the spelling of the path. */
function refuseSameFile(what: string, samples: string | undefined, html: string | undefined): void {
  if (samples !== undefined && html !== undefined && sameFile(samples, html)) {
    throw new UsageError(`${what} and --html name the same file (${html}): the report would replace the samples`);
  }
}

function parseRun(argv: readonly string[]): RunArgs {
  const split = commandStart(argv);
  const { values } = orUsageError(() =>
    parseArgs({ args: split.options, options: RUN_OPTIONS, strict: true, allowPositionals: false }),
  );
  if (split.command.length === 0) throw new UsageError('missing the command to run: mallinfo run [options] -- <command> [args...]');
  if (values.ndjson === '') throw new UsageError('--ndjson needs a file name');
  if (values.html === '') throw new UsageError('--html needs a file name');
  if (values.pprof === '') throw new UsageError('--pprof needs a file name');
  if (values['pprof-native'] === '') throw new UsageError('--pprof-native needs a file name');
  const attributeNative = values['attribute-native'] === true || values['pprof-native'] !== undefined;
  const attribute = attributeNative || values.attribute === true || values.pprof !== undefined || values['attribute-baseline'] !== undefined;
  refuseSameFile('--ndjson', values.ndjson, values.html);
  return {
    attributeBaselineMs: attribute ? parseInterval(values['attribute-baseline'] ?? '1s', '--attribute-baseline') : null,
    pprof: values.pprof,
    attributeNative,
    pprofNative: values['pprof-native'],
    command: split.command[0],
    args: split.command.slice(1),
    intervalMs: values.interval === undefined ? DEFAULT_INTERVAL_MS : parseInterval(values.interval),
    ndjson: values.ndjson,
    html: values.html,
    autoTrim: values['auto-trim'] ?? false,
    collectEveryMs: parseCollectEvery(values['collect-every'], DEFAULT_COLLECT_EVERY_MS),
    quiet: values.quiet ?? false,
    json: values.json ?? false,
  };
}

function parseReport(argv: readonly string[]): ReportArgs {
  const { values, positionals } = orUsageError(() =>
    parseArgs({
      args: [...argv],
      options: { html: { type: 'string' }, json: { type: 'boolean' } },
      strict: true,
      allowPositionals: true,
    }),
  );
  if (positionals.length === 0) throw new UsageError('missing the file: mallinfo report <samples.ndjson>');
  if (positionals.length > 1) throw new UsageError(`one file at a time, got ${positionals.length}: ${positionals.join(' ')}`);
  if (values.html === '') throw new UsageError('--html needs a file name');
  refuseSameFile('the file to read', positionals[0], values.html);
  return { file: positionals[0], html: values.html, json: values.json ?? false };
}

/**
 * Parses the CLI's arguments (without `node` and the script).
 * @throws UsageError for an unknown command or option, a missing command or file, a bad interval.
 */
export function parseCli(argv: readonly string[]): CliArgs {
  const [subcommand, ...rest] = argv;
  switch (subcommand) {
    case 'run':
      return { kind: 'run', run: parseRun(rest) };
    case 'report':
      return { kind: 'report', report: parseReport(rest) };
    case 'attach':
      return { kind: 'attach', argv: rest };
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      return { kind: 'help' };
    default:
      throw new UsageError(`unknown command ${JSON.stringify(subcommand)}: expected run, report or attach`);
  }
}
