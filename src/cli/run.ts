/**
 * `mallinfo run`: starts the command with the sampler preloaded into its
 * Node processes, shows them live, records the run, and ends with the
 * summary and the command's own exit code.
 * @packageDocumentation
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allocatorEnv } from './allocator-env';
import { AttributionRun } from './attribute';
import type { RunArgs } from './args';
import { print } from './broken-pipe';
import { Channel } from './channel';
import { exitCodeOf, runChild, type ChildExit } from './child';
import { createLiveView, type LiveView } from './live';
import { NdjsonWriter } from './ndjson';
import { writeOutputs } from './output';
import { AUTO_TRIM_ENV, CHANNEL_ENV, COLLECT_EVERY_ENV, INTERVAL_ENV, nodeOptionsWithPreload } from './preload-env';
import { RUN_FORMAT, RUN_FORMAT_VERSION, type RunEvent } from './records';
import { ReportFile } from './report-file';
import { StopSignals } from './stop-signals';
import { RunData } from './store';

/** How long to wait, after the command exited, for its processes' last records. */
const DRAIN_MS = 1000;
const PACKAGE_ROOT = join(__dirname, '..', '..');
/** The preload, by absolute path: the command's cwd need not be able to resolve `mallinfo`. */
const PRELOAD = join(__dirname, '..', 'register.js');

function mallinfoVersion(): string {
  return (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

/** The command's environment: the user's, plus the preload and where to send samples. */
function childEnv(args: RunArgs, channelPath: string, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {
    ...env,
    NODE_OPTIONS: nodeOptionsWithPreload(env.NODE_OPTIONS, PRELOAD),
    [CHANNEL_ENV]: channelPath,
    [INTERVAL_ENV]: String(args.intervalMs),
  };
  if (args.autoTrim) out[AUTO_TRIM_ENV] = '1';
  else delete out[AUTO_TRIM_ENV];
  if (args.collectEveryMs !== null) out[COLLECT_EVERY_ENV] = String(args.collectEveryMs);
  else delete out[COLLECT_EVERY_ENV];
  return out;
}

/**
 * Runs `mallinfo run`; resolves with the exit code for the CLI. From here
 * until the CLI exits, a stop signal cannot kill it halfway through its
 * files (see StopSignals); the exit code stays the command's.
 */
export async function run(args: RunArgs): Promise<number> {
  const stop = new StopSignals();
  // Output files first: a path that cannot be written fails before the command runs.
  const ndjson = args.ndjson === undefined ? undefined : new NdjsonWriter(args.ndjson);
  const html = args.html === undefined ? undefined : ReportFile.open(args.html);
  const channel = await Channel.open().catch((error: unknown) => {
    html?.discard();
    throw error;
  });
  const data = new RunData();
  const live: LiveView | undefined = args.quiet ? undefined : createLiveView(process.stderr);
  let invalid = 0;
  const record = (r: RunEvent): void => {
    data.add(r);
    ndjson?.write(r);
    live?.update(data, 'pid' in r ? r.pid : undefined);
  };
  channel.on('record', record);
  channel.on('invalid', () => invalid++);
  record({
    type: 'run',
    format: RUN_FORMAT,
    version: RUN_FORMAT_VERSION,
    command: [args.command, ...args.args],
    cwd: process.cwd(),
    startedAt: Date.now(),
    intervalMs: args.intervalMs,
    autoTrim: args.autoTrim,
    mallinfoVersion: mallinfoVersion(),
    allocatorEnv: allocatorEnv(process.env),
  });

  // Without the command: the channel and its directory go, the NDJSON file keeps what it has, no report.
  const abandon = async (): Promise<void> => {
    live?.stop();
    await channel.close(0);
    await ndjson?.close().catch(() => undefined);
    html?.discard();
  };
  if (stop.received !== null) {
    await abandon();
    print(process.stderr, `mallinfo: stopped by ${stop.received} before the command started\n`);
    return exitCodeOf({ exitCode: null, signal: stop.received });
  }
  let exit: ChildExit;
  let attribution: AttributionRun | undefined;
  try {
    const env = childEnv(args, channel.path);
    if (args.attributeBaselineMs !== null) {
      attribution = AttributionRun.create();
      Object.assign(env, attribution.env(args.attributeBaselineMs, args.attributeNative, env));
    }
    exit = await runChild(args.command, args.args, env);
  } catch (error) {
    attribution?.discard();
    await abandon();
    throw error;
  }
  await channel.close(DRAIN_MS);
  record({ type: 'end', time: Date.now(), exitCode: exit.exitCode, signal: exit.signal });
  live?.stop();
  // A file that could not be written fails the run (exit 1), after the summary is out.
  let writeError: unknown;
  await ndjson?.close().catch((error: unknown) => (writeError = error));
  const notes: string[] = [];
  if (args.ndjson !== undefined && writeError === undefined) notes.push(`  samples: ${args.ndjson}`);
  if (args.html !== undefined) notes.push(`  report:  ${args.html}`);
  const grew = attribution?.finish(data.primary()?.pid, args.pprof, args.pprofNative) ?? [];
  if (args.json) for (const line of grew) process.stderr.write(`mallinfo: ${line}\n`);
  else notes.unshift(...grew);
  const warnings = invalid > 0 ? [`ignored ${invalid} invalid record${invalid === 1 ? '' : 's'} on the channel`] : [];
  // From processes that outlived the command (detached), cut after the drain.
  const late = channel.late + (ndjson?.dropped ?? 0);
  if (late > 0) warnings.push(`dropped ${late} record${late === 1 ? '' : 's'} that came after the command ended`);
  writeOutputs(data, { html, json: args.json, notes, warnings, whatGrew: grew });
  if (writeError !== undefined) throw writeError;
  return exitCodeOf(exit);
}
