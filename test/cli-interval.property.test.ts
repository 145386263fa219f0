// `--interval` (parseInterval) under property tests, 10,000 cases each: every
// exact spelling of a duration reads back as its milliseconds, the parser
// agrees with exact decimal arithmetic on everything shaped like a duration,
// and any other string is refused with the documented UsageError.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCli, parseInterval, UsageError } from '../src/cli/args';

const MIN_MS = 10;
const MAX_MS = 2 ** 31 - 1;
const UNIT_MS = { ms: 1n, s: 1000n, m: 60_000n } as const;
type Unit = keyof typeof UNIT_MS;
const RUNS = { numRuns: 10_000 };

const message = (text: string): string =>
  `--interval must be a duration from 10ms, with its unit (500ms, 1s, 10s, 2m), got ${JSON.stringify(text)}`;

/** `ms` written in `unit` as an exact decimal (`1.005s`), or undefined when it has none (`1ms` in minutes). */
function spell(ms: number, unit: Unit, extraZeros: number, leadingZeros: number): string | undefined {
  for (let places = 0; places <= 5; places++) {
    const scaled = BigInt(ms) * 10n ** BigInt(places);
    if (scaled % UNIT_MS[unit] !== 0n) continue;
    const digits = String(scaled / UNIT_MS[unit]).padStart(places + 1, '0');
    const whole = '0'.repeat(leadingZeros) + digits.slice(0, digits.length - places);
    const fraction = digits.slice(digits.length - places) + '0'.repeat(places > 0 ? extraZeros : 0);
    return `${whole}${fraction === '' ? '' : `.${fraction}`}${unit}`;
  }
  return undefined;
}

/** What the text means, by exact decimal arithmetic: its milliseconds, or undefined when refused. */
function oracle(text: string): number | undefined {
  const match = /^(\d+)(?:\.(\d+))?(ms|s|m)$/.exec(text);
  if (match === null) return undefined;
  const [, whole, fraction = '', unit] = match;
  const scaled = BigInt(whole + fraction) * UNIT_MS[unit as Unit];
  const divisor = 10n ** BigInt(fraction.length);
  if (scaled % divisor !== 0n) return undefined;
  const ms = scaled / divisor;
  return ms >= BigInt(MIN_MS) && ms <= BigInt(MAX_MS) ? Number(ms) : undefined;
}

/** parseInterval's answer: the number, or the error it threw. */
function outcome(text: string): number | unknown {
  try {
    return parseInterval(text);
  } catch (error) {
    return error;
  }
}

/** Checks one answer against the oracle: the right number, or a UsageError with the documented message. */
function check(text: string, got: number | unknown): void {
  const want = oracle(text);
  if (want !== undefined) {
    if (got !== want) expect(got, JSON.stringify(text)).toBe(want);
    return;
  }
  if (!(got instanceof UsageError) || got.message !== message(text)) {
    expect(got, JSON.stringify(text)).toBeInstanceOf(UsageError);
    expect((got as Error).message).toBe(message(text));
  }
}

const digits = (max: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 1, maxLength: max });
/** Strings shaped like durations: digits, maybe a fraction, a unit; around the limits too. */
const durationLike = fc
  .tuple(digits(12), fc.option(digits(8), { nil: undefined }), fc.constantFrom<Unit>('ms', 's', 'm'))
  .map(([whole, fraction, unit]) => `${whole}${fraction === undefined ? '' : `.${fraction}`}${unit}`);
/** Near-misses and noise: the parser's own characters in any order, and any Unicode. */
const anyText = fc.oneof(
  fc.string({ unit: fc.constantFrom(...'0123456789.msSM -+e_,\t\n٣'), maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  durationLike.chain((d) => fc.tuple(fc.nat(d.length), fc.string({ unit: 'binary', maxLength: 2 })).map(([at, s]) => d.slice(0, at) + s + d.slice(at))),
);

describe('--interval: property tests', () => {
  it('reads every exact spelling of every interval from 10 ms to 2^31 - 1 ms back as that interval (10,000 cases)', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: MIN_MS, max: MAX_MS }), fc.integer({ min: MIN_MS, max: 100_000 })).chain((ms) =>
          // Minutes only where they have a finite decimal (ms a multiple of 3).
          fc.tuple(fc.constant(ms), fc.constantFrom<Unit>(...(ms % 3 === 0 ? (['ms', 's', 'm'] as const) : (['ms', 's'] as const)))),
        ),
        fc.nat(3),
        fc.nat(2),
        ([ms, unit], extraZeros, leadingZeros) => {
          const text = spell(ms, unit, extraZeros, leadingZeros)!;
          const got = outcome(text);
          if (got !== ms) expect(got, text).toBe(ms);
        },
      ),
      RUNS,
    );
  });

  it('agrees with exact decimal arithmetic on every string shaped like a duration (10,000 cases)', () => {
    fc.assert(
      fc.property(durationLike, (text) => check(text, outcome(text))),
      RUNS,
    );
  });

  it('refuses every other string with a UsageError naming --interval and quoting it, and nothing else (10,000 cases)', () => {
    fc.assert(
      fc.property(anyText, (text) => check(text, outcome(text))),
      RUNS,
    );
  });

  it('mallinfo run --interval=<anything>: the interval parseInterval gives, or a UsageError (10,000 cases)', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        let got: number | unknown;
        try {
          const cli = parseCli(['run', `--interval=${text}`, '--', 'node', 'app.js']);
          got = cli.kind === 'run' ? cli.run.intervalMs : cli;
        } catch (error) {
          got = error;
        }
        check(text, got);
      }),
      RUNS,
    );
  });

  it('regression: decimals that binary floating point cannot hold exactly', () => {
    // Number('1.005') * 1000 is 1004.9999999999999, and 4.35 * 60000 is 260999.99999999997: both were refused.
    expect(parseInterval('1.005s')).toBe(1005);
    expect(parseInterval('4.35m')).toBe(261_000);
    expect(parseInterval('2147483.647s')).toBe(MAX_MS);
    expect(() => parseInterval('2147483.648s')).toThrow(UsageError);
    expect(() => parseInterval('0.0105s')).toThrow(UsageError);
  });
});
