// The statistics behind diagnose(), on synthetic series, against plain
// brute-force definitions and published values.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dropRaisedTroughs, analyzeSeries, troughs } from '../lib/diagnose/series.js';
import { median, normalCdf, quantile, select, trend } from '../lib/diagnose/stats.js';

/** Median of all pairwise slopes, the definition of Theil–Sen, by sorting. */
function bruteTheilSen(xs: number[], ys: number[]): number {
  const slopes: number[] = [];
  for (let i = 0; i < xs.length; i++) for (let j = i + 1; j < xs.length; j++) slopes.push((ys[j] - ys[i]) / (xs[j] - xs[i]));
  slopes.sort((a, b) => a - b);
  const m = slopes.length >> 1;
  return slopes.length % 2 ? slopes[m] : (slopes[m - 1] + slopes[m]) / 2;
}

/** A sawtooth: rises linearly for `period` samples from `floor(t)` by `amplitude`, then drops back. */
function sawtooth(n: number, period: number, amplitude: number, phase: number, floor: (t: number) => number): number[] {
  return Array.from({ length: n }, (_, t) => floor(t) + (amplitude * ((t + phase) % period)) / period);
}

const seconds = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

describe('normalCdf', () => {
  it('matches tabulated values of the standard normal distribution', () => {
    // Abramowitz & Stegun, table 26.1.
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1)).toBeCloseTo(0.8413447, 6);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-3)).toBeCloseTo(0.0013499, 6);
    expect(normalCdf(4)).toBeCloseTo(0.9999683, 6);
  });
});

describe('select, quantile, median', () => {
  it('select(k) is the k-th smallest, for any array', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true, min: -1e12, max: 1e12 }), { minLength: 1 }), fc.nat(), (values, k) => {
        const index = k % values.length;
        const sorted = [...values].sort((a, b) => a - b);
        // + 0 turns −0 into 0: the two are equal numbers, and which of them
        // comes first among equals is for neither sort to say.
        expect(select([...values], index) + 0).toBe(sorted[index] + 0);
      }),
    );
  });

  it('quantile interpolates like R type 7', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([10, 0, 5], 0)).toBe(0);
    expect(quantile([10, 0, 5], 1)).toBe(10);
    expect(quantile([1, 2, 3, 4, 5], 0.9)).toBeCloseTo(4.6, 12);
    expect(median([])).toBeNaN();
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1e6, max: 1e6 }), { minLength: 1 }), fc.double({ min: 0, max: 1, noNaN: true }), (values, q) => {
        const sorted = [...values].sort((a, b) => a - b);
        const h = q * (sorted.length - 1);
        const lo = Math.floor(h);
        const expected = sorted[lo] + (h - lo) * ((sorted[Math.min(lo + 1, sorted.length - 1)] ?? 0) - sorted[lo]);
        expect(quantile(values, q)).toBeCloseTo(expected, 6);
      }),
    );
  });
});

describe('trend (Theil–Sen + Mann–Kendall)', () => {
  it('recovers an exact line with tau 1 and a tiny p-value', () => {
    const xs = seconds(30);
    const t = trend(xs, xs.map((x) => 1000 + 250 * x));
    expect(t.slope).toBe(250);
    expect(t.intercept).toBe(1000);
    expect(t.slopeLow).toBe(250);
    expect(t.slopeHigh).toBe(250);
    expect(t.tau).toBe(1);
    expect(t.pValue).toBeLessThan(1e-8);
  });

  it('gives the Mann–Kendall p-value of a strictly rising series of 10 (S = 45, Var = 125)', () => {
    // z = (45 - 1) / sqrt(125) = 3.9355; one-sided p = 1 − Φ(z) = 4.15e-5.
    expect(trend(seconds(10), seconds(10)).pValue).toBeCloseTo(4.15e-5, 6);
  });

  it('is flat with p = 1 on a constant series, and on fewer than two points', () => {
    const flat = trend(seconds(20), Array(20).fill(7));
    expect(flat).toMatchObject({ slope: 0, tau: 0, pValue: 1, intercept: 7 });
    expect(trend([1], [5])).toMatchObject({ points: 1, slope: 0, pValue: 1, intercept: 5 });
    expect(trend([], [])).toMatchObject({ points: 0, pValue: 1 });
  });

  it('equals the brute-force median of pairwise slopes, with the slope inside its interval', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1e9, max: 1e9 }), { minLength: 2, maxLength: 60 }), (ys) => {
        const xs = seconds(ys.length);
        const t = trend(xs, ys);
        expect(t.slope).toBeCloseTo(bruteTheilSen(xs, ys), 6);
        expect(t.slopeLow).toBeLessThanOrEqual(t.slope);
        expect(t.slopeHigh).toBeGreaterThanOrEqual(t.slope);
        expect(t.pValue).toBeGreaterThanOrEqual(0);
        expect(t.pValue).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('shrugs off outliers where least squares would not', () => {
    const xs = seconds(40);
    const ys = xs.map((x) => 100 * x);
    ys[5] = 1e9; // one burst caught at its peak
    ys[30] = -1e9;
    expect(trend(xs, ys).slope).toBeCloseTo(100, 6);
  });
});

describe('troughs', () => {
  it('finds the lowest sample between peaks, and a last trough the series stayed on', () => {
    //              0  1  2  3  4  5  6  7  8  9 10 11
    const values = [5, 1, 9, 9, 2, 3, 8, 0, 0, 6, 1, 1];
    expect(troughs(values, 3)).toEqual([1, 4, 7, 10]);
    // The first sample is no trough (it may be mid-rise); still falling at the end: no trough yet.
    expect(troughs([1, 9, 4, 2], 3)).toEqual([]);
    expect(troughs([], 1)).toEqual([]);
  });

  it('drops troughs a swing above both neighbours, and nothing from a rising floor', () => {
    const values = [0, 40, 1, 80, 2, 3];
    expect(dropRaisedTroughs(values, [0, 1, 2, 3, 4, 5], 10)).toEqual([0, 2, 4, 5]);
    // Raised runs go one after the other; a raised end goes once.
    expect(dropRaisedTroughs([90, 2, 50, 70, 3, 4], [0, 1, 2, 3, 4, 5], 10)).toEqual([1, 4, 5]);
    // A rising floor keeps every inner point, even when it rises more than a swing each time.
    const rising = [0, 15, 30, 45, 60];
    expect(dropRaisedTroughs(rising, [0, 1, 2, 3, 4], 10)).toEqual([0, 1, 2, 3]);
    expect(dropRaisedTroughs(rising, [0, 1, 2, 3, 4], 20)).toEqual([0, 1, 2, 3, 4]);
  });
});

describe('floor of a sawtooth', () => {
  const shape = fc.record({
    period: fc.integer({ min: 3, max: 25 }),
    amplitude: fc.double({ min: 1e5, max: 1e9, noNaN: true }),
    phase: fc.nat({ max: 100 }),
    floor: fc.double({ min: 1e6, max: 1e9, noNaN: true }),
    cycles: fc.integer({ min: 5, max: 30 }),
  });

  it('has ~0 slope and no significant rise for any amplitude, period and phase when the floor is level', () => {
    fc.assert(
      fc.property(shape, ({ period, amplitude, phase, floor, cycles }) => {
        const n = period * cycles;
        const { evidence } = analyzeSeries(seconds(n), sawtooth(n, period, amplitude, phase, () => floor), 60);
        expect(evidence.floor.method).toBe('troughs');
        expect(Math.abs(evidence.floor.growth)).toBeLessThan(1e-6 * floor);
        expect(evidence.floor.pValue).toBeGreaterThan(0.05);
      }),
    );
  });

  it('recovers the floor rise under any sawtooth of 8 cycles or more, however small next to the swing', () => {
    fc.assert(
      fc.property(shape.filter((s) => s.cycles >= 8), fc.double({ min: 1e-4, max: 0.05, noNaN: true }), ({ period, amplitude, phase, floor, cycles }, share) => {
        const n = period * cycles;
        const risePerSample = (share * amplitude) / period; // floor rises `share` of a swing per cycle
        const values = sawtooth(n, period, amplitude, phase, (t) => floor + risePerSample * t);
        const { evidence } = analyzeSeries(seconds(n), values, 60);
        expect(evidence.floor.slope).toBeCloseTo(risePerSample, -Math.log10(risePerSample * 1e-3));
        expect(evidence.floor.pValue).toBeLessThan(0.01);
      }),
    );
  });

  it('ignores troughs caught before the series got back down', () => {
    const period = 10;
    const n = 200;
    const values = sawtooth(n, period, 500, 0, () => 10);
    // Every third trough still holds part of the burst.
    for (let t = 0; t < n; t += 3 * period) values[t] += 200;
    const { evidence } = analyzeSeries(seconds(n), values, 60);
    expect(evidence.floor.growth).toBeCloseTo(0, 6);
  });

  it('falls back to window minima for a series without troughs, and sees a steady rise', () => {
    const values = seconds(100).map((t) => 1e6 + 1e4 * t);
    const { evidence } = analyzeSeries(seconds(100), values, 60);
    expect(evidence.floor.method).toBe('windows');
    expect(evidence.floor.slope).toBeCloseTo(1e4, 6);
    expect(evidence.floor.pValue).toBeLessThan(1e-6);
  });
});
