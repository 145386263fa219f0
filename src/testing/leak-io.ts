/**
 * Waiting for asynchronous I/O to let go before a reading. A socket, a zlib
 * or fs stream, a worker's message port is closed on a later turn of the
 * event loop than the call that finished with it, and its native memory is
 * freed only then: a reading taken before would count it as growth. The
 * handles and requests libuv holds (`process.getActiveResourcesInfo()`) say
 * what is still open; this waits until no more are open than at the
 * previous reading, and keeps count of what it waited for.
 * @packageDocumentation
 */

/** What the readings of one check waited for, in all. */
export interface SettleWaits {
  /** Settled readings taken. */
  readings: number;
  /** Full garbage collections run (two per collection: the second waits for V8's ArrayBuffer sweeper to free the first one's dead backing stores). */
  collections: number;
  /** Event-loop turns let run after a collection, so that finalizers and weak callbacks (FinalizationRegistry, addons' handles) could free native memory. */
  finalizerTurns: number;
  /** Handles and requests opened by the function that were still open at a reading and closed while it waited, by libuv type (e.g. `{ TCPSocketWrap: 2 }`). */
  closed: Record<string, number>;
  /** Readings taken with more handles open than at the previous one, after waiting `ioWaitMs` for them to close (a keep-alive pool, a server the function started): by type, how many stayed open. */
  stillOpen: Record<string, number>;
  /** Milliseconds spent waiting for handles to close. */
  ioWaitMs: number;
  /** Milliseconds spent collecting garbage and waiting for the collections to settle. */
  collectMs: number;
}

/** An empty tally. */
export function noWaits(): SettleWaits {
  return { readings: 0, collections: 0, finalizerTurns: 0, closed: {}, stillOpen: {}, ioWaitMs: 0, collectMs: 0 };
}

type Counts = Map<string, number>;

/** The handles and requests libuv holds for this thread, counted by type. */
export function openResources(): Counts {
  const counts: Counts = new Map();
  for (const type of process.getActiveResourcesInfo()) counts.set(type, (counts.get(type) ?? 0) + 1);
  return counts;
}

/** By type, how many more `now` holds than `before` (only the types with more). */
function excess(now: Counts, before: Counts): Counts {
  const more: Counts = new Map();
  for (const [type, n] of now) {
    const extra = n - (before.get(type) ?? 0);
    if (extra > 0) more.set(type, extra);
  }
  return more;
}

function add(into: Record<string, number>, counts: Counts): void {
  for (const [type, n] of counts) into[type] = (into[type] ?? 0) + n;
}

const afterTimers = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 1));
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Waits, up to `timeoutMs`, until no more handles of any type are open than
 * in `baseline` (the resources at the previous reading); lets the event
 * loop turn at least once. Tallies in `waits` what closed meanwhile and what
 * stayed open. Returns the resources open when it stopped: the next baseline.
 */
export async function waitForIo(baseline: Counts, timeoutMs: number, waits: SettleWaits): Promise<Counts> {
  const started = performance.now();
  const opened = excess(openResources(), baseline);
  // One turn of the event loop in any case: a stream ended in the last call emits 'close' on
  // the next turn. Through the timers phase only when something is open (under load a 1 ms
  // timer can take 10 ms, and a check takes dozens of readings).
  await (opened.size > 0 ? afterTimers() : nextTurn());
  let now = openResources();
  let left = excess(now, baseline);
  while (left.size > 0 && performance.now() - started < timeoutMs) {
    await afterTimers();
    now = openResources();
    left = excess(now, baseline);
  }
  const closed: Counts = new Map();
  for (const [type, n] of opened) {
    const gone = n - (left.get(type) ?? 0);
    if (gone > 0) closed.set(type, gone);
  }
  add(waits.closed, closed);
  add(waits.stillOpen, left);
  waits.ioWaitMs += performance.now() - started;
  return now;
}

/** "2 TCPSocketWrap, 1 Timeout", or "nothing". */
export function formatCounts(counts: Readonly<Record<string, number>>): string {
  const parts = Object.entries(counts).map(([type, n]) => `${n} ${type}`);
  return parts.length === 0 ? 'nothing' : parts.join(', ');
}
