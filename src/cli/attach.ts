/**
 * `mallinfo attach <pid>`: samples a Node process that is already running,
 * through its inspector, with the package loaded into it for the duration;
 * shows it live, records it in the NDJSON format of `mallinfo run`, and
 * ends with the same summary and verdict. Then detaches: the sampling is
 * removed from the target and the inspector closed if attach opened it —
 * after success, an error, Ctrl-C, or the target's exit alike.
 * @packageDocumentation
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AgentDrain, AgentReading, AgentStartOptions } from './attach-agent';
import { DEFAULT_TIMEOUTS, InspectorSession, inspectorListening, openInspector, type AttachTimeouts, type InspectorEndpoint } from './attach-inspector';
import { onceLines } from './attach-once';
import { AttachError, inspectTarget, isAlive, type TargetInfo } from './attach-target';
import type { AttachArgs } from './attach-args';
import { FORWARDED_SIGNALS } from './child';
import { formatBytes, formatCommand, formatDuration } from './format';
import { createLiveView } from './live';
import { NdjsonWriter } from './ndjson';
import { writeOutputs } from './output';
import { RUN_FORMAT, RUN_FORMAT_VERSION, type ProcessRecord, type RunEvent, type TrimRecord } from './records';
import { ReportFile } from './report-file';
import { RunData } from './store';

/** The agent, by absolute path: the target loads the CLI's own copy of the package. */
const AGENT = join(__dirname, 'attach-agent.js');
const PACKAGE_ROOT = join(__dirname, '..', '..');
/** How long the inspector may take to stop listening after detach. */
const CLOSE_WAIT_MS = 3000;

/** The agent detaches on its own when not drained for this long (the CLI was killed): 5 drains at the slowest. */
const WATCHDOG_MS = 5000;

/** How often the CLI drains the target's records: every sample, from 200 ms to 1 s. */
function pollIntervalMs(intervalMs: number): number {
  return Math.min(1000, Math.max(200, intervalMs));
}

const call = (expression: string): string => `require(${JSON.stringify(AGENT)}).${expression}`;

/** Resolves on the first stop signal (Ctrl-C, SIGTERM, SIGHUP); the listeners go with dispose(). */
class StopRequest {
  received: NodeJS.Signals | null = null;
  readonly promise: Promise<void>;
  private readonly listener: (signal: NodeJS.Signals) => void;

  constructor() {
    let resolve!: () => void;
    this.promise = new Promise((r) => (resolve = r));
    this.listener = (signal) => {
      this.received ??= signal;
      resolve();
    };
    for (const signal of FORWARDED_SIGNALS) process.on(signal, this.listener);
  }

  dispose(): void {
    for (const signal of FORWARDED_SIGNALS) process.off(signal, this.listener);
  }
}

/**
 * Removes what attach put into the target and closes the inspector if
 * attach opened it; each step bounded. Returns a warning when the
 * inspector is still listening afterwards, else null.
 */
async function detach(target: TargetInfo, endpoint: InspectorEndpoint, session: InspectorSession | undefined, token: string | null, timeouts: AttachTimeouts): Promise<string | null> {
  if (session?.open) {
    // Closing the inspector (process._debugEnd()) ends this session too: then no answer comes, the connection closes.
    await session.evaluate(call(`detach(${JSON.stringify(token)}, ${endpoint.openedByUs})`), timeouts.connectMs).catch(() => undefined);
    await session.close(timeouts.connectMs);
  }
  if (!endpoint.openedByUs) return null;
  if (session === undefined && isAlive(target.pid)) {
    // The connection failed after SIGUSR1 opened the inspector: one more try, only to close it.
    const closer = await InspectorSession.connect(endpoint, timeouts.connectMs).catch(() => undefined);
    await closer?.evaluate('process._debugEnd()', timeouts.connectMs).catch(() => undefined);
    await closer?.close(timeouts.connectMs);
  }
  const deadline = Date.now() + CLOSE_WAIT_MS;
  while (Date.now() < deadline) {
    if (!isAlive(target.pid) || !inspectorListening(target.pid, endpoint)) return null;
    await sleep(25);
  }
  return `the inspector of pid ${target.pid} still listens on port ${endpoint.port}; only a restart of the process closes it now`;
}


async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(25);
  return !isAlive(pid);
}

function mallinfoVersion(): string {
  return (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

function targetCwd(pid: number): string {
  try {
    return readlinkSync(`/proc/${pid}/cwd`);
  } catch {
    return '';
  }
}

/** Where the records go: the run data, the NDJSON file, the live view. */
interface Sink {
  data: RunData;
  record(r: RunEvent): void;
}

/** Samples for the duration (or until a stop signal or the target's exit); returns the trim, if asked. */
async function sample(args: AttachArgs, session: InspectorSession, sink: Sink, hello: ProcessRecord, token: string, stop: StopRequest, timeouts: AttachTimeouts): Promise<{ trim: TrimRecord | null; dropped: number }> {
  const pollMs = pollIntervalMs(args.intervalMs);
  let dropped = 0;
  const drain = async (): Promise<void> => {
    const out = JSON.parse((await session.evaluate(call(`drain(${JSON.stringify(token)})`), timeouts.evaluateMs)) as string) as AgentDrain;
    dropped += out.dropped;
    for (const r of out.records) sink.record(r);
  };
  const until = Date.now() + args.durationMs;
  while (stop.received === null && session.open && !session.targetExiting && Date.now() < until) {
    const wait = new AbortController();
    await Promise.race([sleep(Math.min(pollMs, until - Date.now()), undefined, { signal: wait.signal }).catch(() => undefined), stop.promise, session.closed]);
    wait.abort();
    if (session.open) await drain().catch(ignoreIfClosed(session, hello.pid));
  }
  let trim: TrimRecord | null = null;
  if (args.trim && session.open && !session.targetExiting && stop.received === null) {
    const text = await session.evaluate(call(`trimNow(${JSON.stringify(token)})`), timeouts.evaluateMs, { awaitPromise: true }).catch(ignoreIfClosed(session, hello.pid));
    if (typeof text === 'string') {
      trim = JSON.parse(text) as TrimRecord;
      sink.record(trim);
      await drain().catch(ignoreIfClosed(session, hello.pid));
    }
  }
  return { trim, dropped };
}

/**
 * An evaluation that failed because the target is exiting is not an error:
 * the run ends there (an exiting target answers "Cannot find context"
 * before its connection closes).
 */
function ignoreIfClosed(session: InspectorSession, pid: number): (error: unknown) => Promise<void> {
  return async (error) => {
    if (session.targetExiting) return;
    await Promise.race([session.closed, sleep(1000)]);
    if (session.open && isAlive(pid)) throw error;
  };
}

/** `--once`: one reading, printed (or as JSON), then detach. */
async function once(args: AttachArgs, session: InspectorSession, timeouts: AttachTimeouts): Promise<number> {
  const reading = JSON.parse((await session.evaluate(call('reading()'), timeouts.evaluateMs)) as string) as AgentReading;
  if (args.json) process.stdout.write(`${JSON.stringify(reading)}\n`);
  else process.stderr.write(`${onceLines(reading).join('\n')}\n`);
  return 0;
}

/**
 * Runs `mallinfo attach`; resolves with the exit code (0).
 * @throws AttachError (one line, with its exit code) when the target cannot be attached.
 */
export async function attach(args: AttachArgs, timeouts: AttachTimeouts = DEFAULT_TIMEOUTS): Promise<number> {
  const target = inspectTarget(args.pid);
  const ndjson = args.ndjson === undefined || args.once ? undefined : new NdjsonWriter(args.ndjson);
  const html = args.html === undefined || args.once ? undefined : ReportFile.open(args.html);
  const stop = new StopRequest();
  let endpoint: InspectorEndpoint;
  try {
    endpoint = await openInspector(target, timeouts);
  } catch (error) {
    stop.dispose();
    html?.discard();
    await ndjson?.close().catch(() => undefined);
    throw error;
  }
  const data = new RunData();
  const live = args.quiet || args.once ? undefined : createLiveView(process.stderr);
  const sink: Sink = {
    data,
    record(r) {
      data.add(r);
      ndjson?.write(r);
      live?.update(data, 'pid' in r ? r.pid : undefined);
    },
  };
  const token = args.once ? null : randomUUID();
  const startedAt = Date.now();
  let session: InspectorSession | undefined;
  let result: { trim: TrimRecord | null; dropped: number } = { trim: null, dropped: 0 };
  let leftOpen: string | null = null;
  let sampled = false;
  try {
    session = await InspectorSession.connect(endpoint, timeouts.connectMs);
    if (token === null) return await once(args, session, timeouts);
    const options: AgentStartOptions = { token, intervalMs: args.intervalMs, collectEveryMs: args.collectEveryMs, watchdogMs: WATCHDOG_MS, closeInspector: endpoint.openedByUs };
    const hello = JSON.parse((await session.evaluate(call(`start(${JSON.stringify(options)})`), timeouts.evaluateMs)) as string) as ProcessRecord;
    sink.record({
      type: 'run',
      format: RUN_FORMAT,
      version: RUN_FORMAT_VERSION,
      command: hello.argv,
      cwd: targetCwd(target.pid),
      startedAt,
      intervalMs: args.intervalMs,
      autoTrim: false,
      mallinfoVersion: mallinfoVersion(),
      allocatorEnv: hello.allocatorEnv,
    });
    sink.record(hello);
    result = await sample(args, session, sink, hello, token, stop, timeouts);
    sampled = true;
  } finally {
    leftOpen = await detach(target, endpoint, session, token, timeouts);
    stop.dispose();
    live?.stop();
    // --once, or a failure: no summary; the NDJSON file keeps what it has, the report is not written.
    if (!sampled) {
      html?.discard();
      await ndjson?.close().catch(() => undefined);
      if (leftOpen !== null) process.stderr.write(`mallinfo: ${leftOpen}\n`);
    }
  }
  // An exiting target finishes once the session is gone: give it a moment.
  const exited = session?.targetExiting === true ? await waitForExit(target.pid, 2000) : !isAlive(target.pid);
  const now = Date.now();
  if (exited) {
    sink.record({ type: 'exit', pid: target.pid, time: now });
    sink.record({ type: 'end', time: now, exitCode: null, signal: null });
  }
  let writeError: unknown;
  await ndjson?.close().catch((error: unknown) => (writeError = error));
  const what = formatCommand(target.argv.slice(1));
  const after = formatDuration(now - startedAt);
  const headline = exited
    ? `mallinfo: pid ${target.pid} (${what}) exited while attached, after ${after}`
    : `mallinfo: attached to pid ${target.pid} (${what}) for ${after}${stop.received ? ` (stopped by ${stop.received})` : ''}; detached, it runs on`;
  const notes: string[] = [];
  if (result.trim !== null) {
    const t = result.trim;
    notes.push(`  trim in pid ${target.pid}: released ${formatBytes(t.released)} (RSS ${formatBytes(t.rssBefore)} → ${formatBytes(t.rssAfter)}) in ${formatDuration(t.durationMs)}`);
  }
  if (args.ndjson !== undefined && writeError === undefined) notes.push(`  samples: ${args.ndjson}`);
  if (args.html !== undefined) notes.push(`  report:  ${args.html}`);
  const warnings = [...(leftOpen === null ? [] : [leftOpen]), ...(result.dropped > 0 ? [`${result.dropped} records dropped in the target (the CLI did not drain in time)`] : [])];
  writeOutputs(data, { html, json: args.json, notes, warnings, headline });
  if (writeError !== undefined) throw writeError;
  if (data.primary() === undefined && !exited) throw new AttachError(`no sample came from pid ${target.pid}`, 1);
  return 0;
}
