/**
 * The part of `mallinfo attach` that runs inside the target: `require()`d
 * there by absolute path through the inspector (so it is the CLI's own copy
 * of the package), it samples with the package's Sampler and keeps the
 * records in a bounded queue that the CLI drains. Everything it adds is
 * removed by {@link detach}: the Sampler's timer, the garbage-collection
 * observer, the watchdog, and the package's modules in `require.cache`
 * that it loaded. The addon stays loaded, and cached with its loader
 * (node-gyp-build): a shared library cannot be unloaded from a running
 * Node, and loading it again on the next attach would make a second
 * instance, with a second kept /proc/self/statm descriptor. If the CLI stops draining (killed), the
 * watchdog detaches on its own and closes the inspector it opened.
 *
 * Every function returns JSON text, so that one `Runtime.evaluate` with
 * `returnByValue` carries it back whole.
 * @packageDocumentation
 */
import { join, sep } from 'node:path';
import type { AllocatorInfo } from '../core/allocator';
import type { MemorySample } from '../core/types';
import type { ProcessRecord, RunEvent, TrimRecord } from './records';

type Mallinfo = typeof import('../index');
type Sampler = InstanceType<Mallinfo['Sampler']>;

/** Records kept for the CLI between two drains; beyond it the oldest are dropped (and counted). */
const MAX_QUEUED_RECORDS = 10_000;
/** The package's compiled files: what detach removes from `require.cache`. */
const PACKAGE_LIB = join(__dirname, '..') + sep;
/** Modules the target had loaded before this one: never removed (it may use mallinfo itself). */
const loadedBefore = new Set(Object.keys(require.cache).filter((key) => key !== __filename));


/** What the CLI asks for when it attaches. */
export interface AgentStartOptions {
  /** Names this attachment: calls with another token are refused. */
  token: string;
  intervalMs: number;
  /** The Sampler's collectEveryMs (`--collect-every`); null: none. */
  collectEveryMs: number | null;
  /** Detach on its own when not drained for this long. */
  watchdogMs: number;
  /** Whether the CLI opened the inspector (then the watchdog closes it too). */
  closeInspector: boolean;
}

/** What one drain returns. */
export interface AgentDrain {
  records: RunEvent[];
  /** Records dropped since the last drain (the queue was full). */
  dropped: number;
}

/** `--once`: one reading of the allocator, the process and its settings. */
export interface AgentReading {
  process: ProcessRecord;
  sample: MemorySample;
  allocator: AllocatorInfo;
  /** Live arenas (glibc: from malloc_info), or null where the allocator does not report them. */
  arenaCount: number | null;
  arenaError: string | null;
}

interface Attachment {
  options: AgentStartOptions;
  sampler: Sampler;
  queue: RunEvent[];
  dropped: number;
  lastDrainAt: number;
  watchdog: NodeJS.Timeout;
}

let attachment: Attachment | undefined;

/** Modules that this agent's own requires added to `require.cache` (the package, node-gyp-build, the addon). */
const loadedByUs = new Set<string>();

/** `require(id)`, noting what it adds to the cache: a require is synchronous, so no module of the target's loads meanwhile. */
function load<T>(id: string): T {
  const before = new Set(Object.keys(require.cache));
  try {
    return require(id) as T;
  } finally {
    for (const key of Object.keys(require.cache)) if (!before.has(key) && !loadedBefore.has(key)) loadedByUs.add(key);
  }
}

function mallinfo(): Mallinfo {
  return load<Mallinfo>('../index');
}

/** A CommonJS module record, as far as unlinking it goes (`parent` is deprecated but still a setter in Node 20-26). */
interface ModuleRecord {
  parent?: ModuleRecord | null;
  children: ModuleRecord[];
  exports: unknown;
}

/**
 * Removes what our requires added from `require.cache` and from their
 * parents' `children`, and empties their records: the inspector console's
 * module, which required the agent, would otherwise keep the whole package
 * alive (0.4 MB of sources and code, measured on Node 20). The addon's own
 * entry stays: loading it again would make a second instance. On Node 22
 * and later that entry still reaches the package of the first and of the
 * latest attach, through the parent links Node keeps in private symbols
 * (module_first_parent, module_last_parent, module_export) that no
 * JavaScript can clear: a bounded 0.4 MB, not more with every attach.
 */
function forgetModules(): void {
  const cache = require.cache as Record<string, ModuleRecord | undefined>;
  const ours = Object.keys(cache).filter((key) => loadedByUs.has(key) || (key.startsWith(PACKAGE_LIB) && !loadedBefore.has(key)));
  for (const key of ours) {
    const record = cache[key];
    if (record === undefined) continue;
    const siblings = record.parent?.children;
    const at = siblings?.indexOf(record) ?? -1;
    if (at >= 0) siblings!.splice(at, 1);
    record.children.length = 0;
    if (key.endsWith('.node')) {
      record.parent = undefined;
    } else {
      delete cache[key];
      record.exports = {};
    }
  }
  loadedByUs.clear();
}

function processRecord(m: Mallinfo): ProcessRecord {
  const { thisProcessRecord } = load<typeof import('./process-record')>('./process-record');
  return thisProcessRecord(m.allocator());
}

function own(token: string): Attachment {
  if (attachment === undefined || attachment.options.token !== token) throw new Error('mallinfo attach: not attached (the watchdog detached, or another attach owns this process)');
  return attachment;
}

function push(a: Attachment, record: RunEvent): void {
  if (a.queue.push(record) > MAX_QUEUED_RECORDS) {
    a.queue.shift();
    a.dropped++;
  }
}

/** Starts sampling; returns the `process` record as JSON. */
export function start(options: AgentStartOptions): string {
  if (attachment !== undefined) throw new Error('another mallinfo attach is sampling this process');
  const m = mallinfo();
  const hello = processRecord(m);
  const collect = options.collectEveryMs === null ? {} : { collectEveryMs: options.collectEveryMs };
  const sampler = new m.Sampler({ intervalMs: options.intervalMs, unref: true, history: 0, ...collect });
  const { throttledCollections } = load<typeof import('../diagnose/collections')>('../diagnose/collections');
  const pid = process.pid;
  const a: Attachment = {
    options,
    sampler,
    queue: [],
    dropped: 0,
    lastDrainAt: Date.now(),
    watchdog: setInterval(() => {
      if (Date.now() - a.lastDrainAt > options.watchdogMs) detach(options.token, options.closeInspector);
    }, Math.max(100, Math.floor(options.watchdogMs / 4))).unref(),
  };
  sampler.on('sample', (sample) => push(a, { type: 'sample', pid, sample }));
  attachment = a;
  sampler.on('collection', throttledCollections((c) => push(a, { type: 'gc', pid, ...c })));
  sampler.start();
  return JSON.stringify(hello);
}

/** The records since the last drain, as JSON {@link AgentDrain}. */
export function drain(token: string): string {
  const a = own(token);
  a.lastDrainAt = Date.now();
  const out: AgentDrain = { records: a.queue.splice(0), dropped: a.dropped };
  a.dropped = 0;
  return JSON.stringify(out);
}

/** Trims (malloc_trim on the threadpool) and returns the `trim` record as JSON, with a sample taken after it. */
export async function trimNow(token: string): Promise<string> {
  const a = own(token);
  const m = mallinfo();
  const heap = m.sample().heap;
  if (heap === null) throw new Error(`mallinfo attach --trim: the allocator (${m.allocator().kind}) exposes no statistics here, so a trim measures nothing`);
  const freeBefore = heap.free;
  const result = await m.trim();
  const record: TrimRecord = { type: 'trim', pid: process.pid, time: Date.now(), freeBefore, residentFreeEstimate: null, ...result };
  push(a, { type: 'sample', pid: process.pid, sample: m.sample() });
  return JSON.stringify(record);
}

/** One reading for `--once`, as JSON {@link AgentReading}. */
export function reading(): string {
  const m = mallinfo();
  let arenaCount: number | null = null;
  let arenaError: string | null = null;
  try {
    arenaCount = m.arenas().count;
  } catch (error) {
    arenaError = (error as Error).message;
  }
  const out: AgentReading = { process: processRecord(m), sample: m.sample(), allocator: m.allocator(), arenaCount, arenaError };
  return JSON.stringify(out);
}

/** Closes the inspector the way SIGUSR1 opened it (`process._debugEnd`, what `inspector.close()` wraps). */
function endInspector(): void {
  (process as unknown as { _debugEnd(): void })._debugEnd();
}

/**
 * Stops sampling, forgets the package's modules it loaded, and, when asked,
 * closes the inspector (which ends the CLI's session: its evaluation then
 * gets no answer). Safe to
 * call when not attached (after `--once`, or after the watchdog).
 */
export function detach(token: string | null, closeInspector: boolean): string {
  const a = attachment;
  if (a !== undefined && (token === null || a.options.token === token)) {
    a.sampler.stop();
    a.sampler.removeAllListeners();
    clearInterval(a.watchdog);
    a.queue.length = 0;
    attachment = undefined;
  }
  if (attachment === undefined) forgetModules();
  // Synchronously: it ends any session and stops listening (verified on Node 20; deferred to a
  // setImmediate while a session was still connected, the port stayed open, or the process crashed).
  if (closeInspector) endInspector();
  return JSON.stringify({ detached: true });
}
