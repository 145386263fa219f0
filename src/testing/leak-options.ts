/**
 * Options of `measure()` and `expectNoLeak()`: their types, defaults and
 * checks. Everything is validated before the function under test runs once.
 * @packageDocumentation
 */
import { invalidType, outOfRange } from '../core/errors';
import { booleanOption, integerOption, optionsObject } from '../core/validate';

/** Bytes per iteration that memory may grow by without counting as a leak. */
export interface LeakTolerance {
  /** Growth of the C heap in use (`heap.inUse`: malloc, Buffers, addons), bytes per iteration. Default 64. `Infinity` skips the native check (needed where the allocator gives no statistics). */
  native?: number;
  /** Growth of V8's heap in use (`v8.used`: JS objects), bytes per iteration. Default 32. `Infinity` skips the V8 check. */
  v8?: number;
}

/** Options of {@link measure}. */
export interface MeasureOptions {
  /** Calls of `fn` measured. Default 1. */
  iterations?: number;
  /** Calls of `fn` made first and not measured, so that one-time costs (caches, lazy initialisation, JIT) do not count. Default 0. */
  warmup?: number;
  /** Hand free memory back to the kernel (`malloc_trim(0)`) before each reading, so that RSS shows what is held rather than what the allocator kept. glibc only. Default false. */
  trim?: boolean;
  /** Stop with a `MeasurementTimeoutError` after this many milliseconds, checked between calls. Default 30000. */
  timeoutMs?: number;
  /**
   * Before each reading, wait up to this many milliseconds for the handles
   * and requests the calls opened (sockets, streams, timers, message ports:
   * `process.getActiveResourcesInfo()`) to close, so that their native memory
   * is freed before it is counted. Handles that stay open longer (a
   * keep-alive pool) are left open and reported. 0 still lets the event loop
   * turn once. Default 250.
   */
  ioWaitMs?: number;
}

/** Options of {@link expectNoLeak}. */
export interface LeakOptions extends MeasureOptions {
  /** Calls of `fn` in the first attempt, measured in 10 rounds. Default 1000. */
  iterations?: number;
  /** Calls of `fn` before the first attempt, not measured. Default 100. */
  warmup?: number;
  /** Further judged attempts, each with twice the iterations of the one before, made while a heap grows steadily: a leak keeps its rate per iteration when the calls double (a heap whose rate falls below 0.8 of the attempt before is cleared), noise and warm-up do not. Default 2. */
  retries?: number;
  /** Growth per iteration that is not a leak: one number for both heaps, or each separately. Default `{ native: 64, v8: 32 }`. */
  tolerance?: number | LeakTolerance;
  /**
   * Most calls of `fn`, on top of `warmup`, spent waiting for growth that
   * fades (caches filling, V8 compiling, a connection pool) to level off: an
   * attempt whose growth slows down to less than half over its rounds is
   * counted as warm-up and made again, until growth is steady or this many
   * calls were spent. What was spent is in the result (`warmup`). 0 turns the
   * extension off. Default 5 × `iterations`.
   */
  maxWarmup?: number;
}

/** Validated measure options, defaults applied. */
export interface ResolvedMeasureOptions {
  iterations: number;
  warmup: number;
  trim: boolean;
  timeoutMs: number;
  ioWaitMs: number;
}

/** Validated leak options, defaults applied. */
export interface ResolvedLeakOptions extends ResolvedMeasureOptions {
  retries: number;
  tolerance: Required<LeakTolerance>;
  maxWarmup: number;
}

/** The defaults of {@link expectNoLeak}. */
export const LEAK_DEFAULTS: Readonly<Omit<ResolvedLeakOptions, 'maxWarmup'>> & { readonly maxWarmupPerIteration: number } = Object.freeze({
  iterations: 1000,
  warmup: 100,
  retries: 2,
  trim: false,
  timeoutMs: 30_000,
  ioWaitMs: 250,
  tolerance: Object.freeze({ native: 64, v8: 32 }),
  /** `maxWarmup` is this many times `iterations` unless given. */
  maxWarmupPerIteration: 5,
});

const MAX_TIMER_MS = 2 ** 31 - 1;
/** Calls in one attempt; with 10 retries doubling it, counts stay exact integers. */
const MAX_CALLS = 2 ** 32;
const MEASURE_KEYS = ['iterations', 'warmup', 'trim', 'timeoutMs', 'ioWaitMs'] as const;
const LEAK_KEYS = [...MEASURE_KEYS, 'retries', 'tolerance', 'maxWarmup'] as const;
/** Waiting longer for handles to close than a minute is waiting for something that stays open. */
const MAX_IO_WAIT_MS = 60_000;

/** Checks `fn`: the function under test. */
export function functionArgument(fn: unknown): () => unknown {
  if (typeof fn !== 'function') throw invalidType('fn', 'a function', fn);
  return fn as () => unknown;
}

function bytesPerIteration(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number') throw invalidType(name, 'a number of bytes per iteration', value);
  if (Number.isNaN(value) || value < 0) throw outOfRange(name, 'a number >= 0 (Infinity to skip the check)', value);
  return value;
}

function toleranceOption(value: unknown): Required<LeakTolerance> {
  const fallback = LEAK_DEFAULTS.tolerance;
  if (typeof value === 'number') {
    const both = bytesPerIteration('options.tolerance', value, 0);
    return { native: both, v8: both };
  }
  if (value !== undefined && (value === null || typeof value !== 'object' || Array.isArray(value))) {
    throw invalidType('options.tolerance', 'a number or an object { native, v8 }', value);
  }
  const t = optionsObject('options.tolerance', value, ['native', 'v8']);
  return {
    native: bytesPerIteration('options.tolerance.native', t.native, fallback.native),
    v8: bytesPerIteration('options.tolerance.v8', t.v8, fallback.v8),
  };
}

function common(opts: Record<string, unknown>, defaults: ResolvedMeasureOptions): ResolvedMeasureOptions {
  return {
    iterations: integerOption('options.iterations', opts.iterations, defaults.iterations, 1, MAX_CALLS),
    warmup: integerOption('options.warmup', opts.warmup, defaults.warmup, 0, MAX_CALLS),
    trim: booleanOption('options.trim', opts.trim, defaults.trim),
    timeoutMs: integerOption('options.timeoutMs', opts.timeoutMs, defaults.timeoutMs, 1, MAX_TIMER_MS),
    ioWaitMs: integerOption('options.ioWaitMs', opts.ioWaitMs, defaults.ioWaitMs, 0, MAX_IO_WAIT_MS),
  };
}

/** Validates the options of `measure()`. */
export function measureOptions(options: unknown): ResolvedMeasureOptions {
  const opts = optionsObject('options', options, MEASURE_KEYS);
  return common(opts, { iterations: 1, warmup: 0, trim: false, timeoutMs: LEAK_DEFAULTS.timeoutMs, ioWaitMs: LEAK_DEFAULTS.ioWaitMs });
}

/** Validates the options of `expectNoLeak()` and `toLeakMemory()`. */
export function leakOptions(options: unknown): ResolvedLeakOptions {
  const opts = optionsObject('options', options, LEAK_KEYS);
  const resolved = common(opts, LEAK_DEFAULTS);
  return {
    ...resolved,
    retries: integerOption('options.retries', opts.retries, LEAK_DEFAULTS.retries, 0, 10),
    tolerance: toleranceOption(opts.tolerance),
    maxWarmup: integerOption('options.maxWarmup', opts.maxWarmup, resolved.iterations * LEAK_DEFAULTS.maxWarmupPerIteration, 0, MAX_CALLS),
  };
}
