/**
 * The text of a `LeakError`: what grew, by how much per iteration, over how
 * many iterations, the readings, and where to look.
 * @packageDocumentation
 */
import { formatCounts, type SettleWaits } from './leak-io';
import type { LeakTolerance } from './leak-options';
import type { GrowthRates, LeakAttempt, WarmupReport } from './leak-types';

/** Which heap grew: the C heap (malloc), V8's JS heap, or both. */
export type LeakKind = 'native' | 'v8' | 'both';

const KB = 1024;
const MB = 1024 * KB;

/** "1,051" or "0.5": bytes per iteration, to a useful precision. */
export function formatRate(bytes: number): string {
  if (!Number.isFinite(bytes)) return String(bytes);
  return bytes.toLocaleString('en-US', { maximumFractionDigits: Math.abs(bytes) >= 10 ? 0 : 1 });
}

/** "+420.4 KB", "-512 B": a signed change in memory. */
export function formatChange(bytes: number): string {
  const sign = bytes < 0 ? '-' : '+';
  const size = Math.abs(bytes);
  if (size >= MB) return `${sign}${(size / MB).toFixed(1)} MB`;
  if (size >= KB) return `${sign}${(size / KB).toFixed(1)} KB`;
  return `${sign}${size} B`;
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => '  ' + r.map((cell, i) => cell.padStart(widths[i])).join('   ')).join('\n');
}

function what(kind: LeakKind, rates: GrowthRates): string {
  const native = `the native heap (malloc) by ${formatRate(rates.native ?? 0)} bytes per iteration`;
  const v8 = `the V8 heap by ${formatRate(rates.v8)} bytes per iteration`;
  if (kind === 'native') return native;
  if (kind === 'v8') return v8;
  return `${native} and ${v8}`;
}

/** Where to look, from which heap grew and whether ArrayBuffers account for it. */
export function leakHint(kind: LeakKind, rates: GrowthRates): string {
  const jsObjects =
    'JS objects are kept alive: look for an array, Map or Set that grows with each call, a cache without a bound, ' +
    'or closures kept by event listeners or timers; two heap snapshots (v8.writeHeapSnapshot()) taken a few hundred calls apart show what accumulates.';
  if (kind === 'v8') return jsObjects;
  const native = rates.native ?? 0;
  if (rates.external >= native / 2) {
    return (
      `V8's external memory (ArrayBuffers, Buffers, typed arrays) grew by ${formatRate(rates.external)} bytes per iteration with it: ` +
      'JS code keeps Buffers alive — look for an array, Map, Set, closure or listener that holds them and grows with each call.'
    );
  }
  const notBuffers =
    `Only ${formatRate(rates.external)} bytes per iteration of it are ArrayBuffers: native code allocates without freeing — ` +
    'a native addon, or a resource that holds native memory until it is closed (zlib or crypto streams, sockets, handles): ' +
    'check that everything the function opens is also closed or destroyed.';
  return kind === 'both' ? `${notBuffers} Besides, ${jsObjects}` : notBuffers;
}

const rate = (r: number | null): string => (r === null ? 'n/a' : formatRate(r));

function attemptsTable(attempts: readonly LeakAttempt[]): string {
  const rows = [['attempt', 'role', 'iterations', 'native B/iteration', '(1st half → 2nd)', 'V8 B/iteration', '(1st half → 2nd)', 'external B/iteration']];
  attempts.forEach((a, i) => {
    const r = a.bytesPerIteration;
    rows.push([
      String(i + 1),
      a.role,
      String(a.iterations),
      rate(r.native),
      `${rate(a.firstHalf.native)} → ${rate(a.lastHalf.native)}`,
      formatRate(r.v8),
      `${formatRate(a.firstHalf.v8)} → ${formatRate(a.lastHalf.v8)}`,
      formatRate(r.external),
    ]);
  });
  return table(rows);
}

function seriesTable(attempt: LeakAttempt): string {
  const s = attempt.series;
  const rows = [['calls', 'native B/iteration', 'V8 B/iteration', 'native in use', 'V8 used', 'of it code', 'V8 external', 'RSS']];
  // V8 is judged without its compiled code: so is its growth per round.
  const v8Data = s.v8Used.map((used, i) => used - s.v8Code[i]);
  const change = (values: number[] | null, i: number): string => (values === null ? 'n/a' : formatChange(values[i] - values[0]));
  const perCall = (values: number[] | null, i: number): string =>
    values === null || i === 0 ? '' : formatRate((values[i] - values[i - 1]) / (s.calls[i] - s.calls[i - 1]));
  for (let i = 0; i < s.calls.length; i++) {
    rows.push([
      String(s.calls[i]),
      perCall(s.nativeInUse, i),
      perCall(v8Data, i),
      change(s.nativeInUse, i),
      change(s.v8Used, i),
      change(s.v8Code, i),
      change(s.v8External, i),
      change(s.resident, i),
    ]);
  }
  return table(rows);
}

/** "after a warm-up of 100 calls, which leveled off", or what was added to it. */
export function warmupText(warmup: WarmupReport): string {
  const base = `after a warm-up of ${warmup.calls} calls`;
  if (warmup.extended === 0) return base;
  const added = `${warmup.extended} of them added because growth was still slowing down`;
  return warmup.leveledOff ? `${base} (${added})` : `${base} (${added}; maxWarmup ran out before it leveled off)`;
}

/** One line: what the readings waited for. */
export function waitsText(waits: SettleWaits): string {
  const closed = formatCounts(waits.closed);
  const open = Object.keys(waits.stillOpen).length === 0 ? '' : `; still open after ioWaitMs: ${formatCounts(waits.stillOpen)}`;
  return (
    `The ${waits.readings} readings waited for handles to close (closed: ${closed}${open}; ${waits.ioWaitMs.toFixed(0)} ms in all), ` +
    `then for ${waits.collections} garbage collections and ${waits.finalizerTurns} event-loop turns for finalizers (${waits.collectMs.toFixed(0)} ms).`
  );
}

/** The message of a LeakError. */
export function leakMessage(
  kind: LeakKind,
  attempts: readonly LeakAttempt[],
  tolerance: Required<LeakTolerance>,
  warmup: WarmupReport,
  waits: SettleWaits,
): string {
  const last = attempts[attempts.length - 1];
  const judged = attempts.filter((a) => a.role === 'judged');
  const total = judged.reduce((sum, a) => sum + a.iterations, 0);
  return [
    `Memory grew in ${what(kind, last.bytesPerIteration)} ` +
      `(tolerance: native ${formatRate(tolerance.native)}, V8 ${formatRate(tolerance.v8)} bytes per iteration), ` +
      (judged.length === 1
        ? `without slowing down in its only judged attempt (${total} iterations), `
        : `without slowing down in each of ${judged.length} judged attempts (${total} iterations in all), `) +
      `${warmupText(warmup)}:`,
    '',
    attemptsTable(attempts),
    '',
    `Growth per round of the last attempt (${last.iterations} iterations in ${last.rounds} rounds), read after garbage collection ` +
      "(V8 without its compiled code, which V8 makes and drops for thousands of calls); a leak keeps the same bytes per iteration round after round, a warm-up falls towards 0:",
    '',
    seriesTable(last),
    '',
    waitsText(waits),
    '',
    `Hint: ${leakHint(kind, last.bytesPerIteration)}`,
  ].join('\n');
}
