/**
 * `mallinfo/register`: the preload that `mallinfo run` puts into every Node
 * process of the command it watches (NODE_OPTIONS `--require`). It samples
 * the process on an interval and sends each sample, as one NDJSON line,
 * over a unix socket named by `MALLINFO_CHANNEL`: never over the program's
 * stdout or stderr. Without that variable it does nothing.
 *
 * It must never change the program: it samples in the main thread only (the
 * allocator is per process, so one sampler covers every worker thread; a
 * worker thread only collects its garbage when the main thread's Sampler
 * collects, with --collect-every),
 * keeps nothing alive (an unref'd timer and socket), prints nothing, throws
 * nothing, and drops samples rather than buffer them when the CLI does not
 * read.
 * @packageDocumentation
 */
import { writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { isMainThread } from 'node:worker_threads';
import { thisProcessRecord } from './cli/process-record';
import { ATTRIBUTE_BASELINE_MS_ENV, ATTRIBUTE_DIR_ENV } from './cli/attribute-env';
import { isLauncherScript } from './cli/launcher';
import { AUTO_TRIM_ENV, CHANNEL_ENV, COLLECT_EVERY_ENV, exitSpoolName, INTERVAL_ENV } from './cli/preload-env';
import type { ProcessRecord, RunEvent } from './cli/records';

/** Bytes the socket may hold unsent before samples are dropped (the CLI is not reading). */
const MAX_UNSENT_BYTES = 256 * 1024;

/** A whole number of ms from the environment, or `fallback` when unset or not one. */
function msFromEnv(name: string, fallback: number | undefined): number | undefined {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value >= 1 && value < 2 ** 31 ? value : fallback;
}

type Mallinfo = typeof import('./index');
type Sampler = InstanceType<Mallinfo['Sampler']>;

/** The sampler of this process; `--auto-trim` where malloc_trim is missing becomes a warning. */
function createSampler(mallinfo: Mallinfo, hello: ProcessRecord): Sampler {
  const collectEveryMs = msFromEnv(COLLECT_EVERY_ENV, undefined);
  const options = { intervalMs: msFromEnv(INTERVAL_ENV, 1000), unref: true, history: 0, ...(collectEveryMs === undefined ? {} : { collectEveryMs }) };
  if (process.env[AUTO_TRIM_ENV] !== '1') return new mallinfo.Sampler(options);
  try {
    return new mallinfo.Sampler({ ...options, autoTrim: {} });
  } catch (error) {
    if (!(error instanceof mallinfo.UnsupportedError)) throw error;
    hello.warning = `--auto-trim is off here: ${error.message}`;
    return new mallinfo.Sampler(options);
  }
}

function start(channelPath: string): void {
  const socket = connect(channelPath);
  socket.unref();
  let open = true;
  let sampler: Sampler | undefined;
  socket.on('error', () => {
    // The CLI went away: stop quietly; the program goes on.
    open = false;
    sampler?.stop();
    socket.destroy();
  });
  // Lines written before the socket connected: a process that exits before
  // its first event-loop turn never connects, and they would be lost.
  let unconnected: string[] | undefined = [];
  socket.once('connect', () => (unconnected = undefined));
  const send = (record: RunEvent): void => {
    if (!open || socket.writableLength >= MAX_UNSENT_BYTES) return;
    const line = `${JSON.stringify(record)}\n`;
    unconnected?.push(line);
    socket.write(line);
  };
  /** At exit without a connection: the lines go to a file in the channel's private directory, which the CLI reads. */
  const spool = (): void => {
    if (unconnected === undefined || unconnected.length === 0) return;
    try {
      writeFileSync(join(dirname(channelPath), exitSpoolName(process.pid)), unconnected.join(''), { flag: 'wx', mode: 0o600 });
    } catch {
      // The CLI is gone (its directory with it): nothing to tell.
    }
  };
  const hello: ProcessRecord = thisProcessRecord(null);
  let mallinfo: Mallinfo;
  try {
    // Loaded here, not at the top, so that a failing addon is reported, not thrown.
    mallinfo = require('./index') as Mallinfo;
    hello.allocator = mallinfo.allocator();
    sampler = createSampler(mallinfo, hello);
  } catch (error) {
    hello.error = error instanceof Error ? error.message : String(error);
    send(hello);
    socket.end();
    process.once('exit', spool);
    return;
  }
  send(hello);
  const running = sampler;
  const pid = process.pid;
  running.on('sample', (sample) => send({ type: 'sample', pid, sample }));
  running.on('trim', (event) => send({ type: 'trim', pid, ...event }));
  // Garbage collections, for diagnose() in the CLI.
  const { throttledCollections } = require('./diagnose/collections') as typeof import('./diagnose/collections');
  running.on('collection', throttledCollections((c) => send({ type: 'gc', pid, ...c })));
  // A last sample at exit, so short programs end with their final state. On
  // a connected unix socket the write goes out at once, before the process
  // ends; unconnected yet (process.exit() before the first event-loop turn),
  // everything goes to the spool file.
  process.once('exit', () => {
    if (running.running) send({ type: 'sample', pid, sample: mallinfo.sample() });
    spool();
  });
  running.start();
  // --attribute: heap snapshots for the CLI to diff (loaded only when asked: node:inspector is not free).
  const attributeDir = process.env[ATTRIBUTE_DIR_ENV];
  // Not in npm, npx and the like: their heap is not the question, and a snapshot of it costs.
  if (attributeDir && !isLauncherScript(process.argv[1])) {
    const { startAttributionCapture } = require('./attribution/attribution-preload') as typeof import('./attribution/attribution-preload');
    startAttributionCapture(attributeDir, Number(process.env[ATTRIBUTE_BASELINE_MS_ENV]) || 1000);
  }
}

const channelPath = process.env[CHANNEL_ENV];
if (isMainThread && channelPath) {
  try {
    start(channelPath);
  } catch {
    // Never break the program being watched.
  }
} else if (channelPath && msFromEnv(COLLECT_EVERY_ENV, undefined) !== undefined) {
  // A worker thread: collect when the main thread's Sampler does, so that its readings hold this thread's live memory only.
  try {
    (require('./sampler/worker-collections') as typeof import('./sampler/worker-collections')).answerCollections();
  } catch {
    // Never break the program being watched.
  }
}
