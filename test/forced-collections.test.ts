// The Sampler's own full collections keep their pauses within maxPauseShare
// of wall time: after a long pause the next collection waits longer.
import { describe, expect, it } from 'vitest';
import { Sampler, type Collection } from 'mallinfo';
import { ForcedCollections } from '../src/sampler/forced-collections';

/** Busy-waits `ms`: a collection that pauses the program that long. */
const pauseFor = (ms: number) => () => {
  const end = performance.now() + ms;
  while (performance.now() < end);
};

/** Calls runIfDue every `tickMs` for `forMs`; returns the collections it ran. */
function drive(forced: ForcedCollections, tickMs: number, forMs: number): number {
  let ran = 0;
  const end = performance.now() + forMs;
  while (performance.now() < end) {
    if (forced.runIfDue(() => {})) ran++;
    pauseFor(tickMs)();
  }
  return ran;
}

describe('ForcedCollections', () => {
  it('collects once per everyMs while its pauses are short', () => {
    // 1 ms pauses at 90 %: the budget binds only past 45 ms, which even a loaded machine's 1 ms busy-wait does not reach.
    const forced = new ForcedCollections(50, 0.9, pauseFor(1));
    const ran = drive(forced, 5, 500);
    // ~10 in 500 ms: never more often than every 45 ms (90 % of everyMs, for early ticks).
    expect(ran).toBeGreaterThanOrEqual(6);
    expect(ran).toBeLessThanOrEqual(12);
    expect(forced.gapMs).toBe(50);
  });

  it('waits pause / maxPauseShare after a long pause', () => {
    // 20 ms pauses at 10 %: one every 200 ms at most, whatever everyMs asks.
    const forced = new ForcedCollections(10, 0.1, pauseFor(20));
    const ran = drive(forced, 2, 1000);
    expect(forced.gapMs).toBeGreaterThanOrEqual(200);
    expect(ran).toBeGreaterThanOrEqual(3);
    expect(ran).toBeLessThanOrEqual(6);
    // Without the budget's limit (share near 1) the same pauses run every ~20 ms.
    const unlimited = new ForcedCollections(10, 0.99, pauseFor(20));
    expect(drive(unlimited, 2, 1000)).toBeGreaterThanOrEqual(20);
  });

  it('forgets the last pause on reset', () => {
    const forced = new ForcedCollections(10, 0.1, pauseFor(20));
    const recorded: Collection[] = [];
    const record = (c: Collection): number => recorded.push(c);
    expect(forced.runIfDue(record)).toBe(true);
    expect(forced.runIfDue(record)).toBe(false);
    forced.reset();
    expect(forced.gapMs).toBe(10);
    expect(forced.runIfDue(record)).toBe(true);
    expect(recorded).toHaveLength(2);
    expect(recorded[1]).toMatchObject({ kind: 'major', forced: true });
    expect(recorded[1]).not.toHaveProperty('workers');
  });

  it('is a Sampler option, checked by name', () => {
    expect(() => new Sampler({ collectEveryMs: 1000, maxPauseShare: 0 })).toThrow(RangeError);
    expect(() => new Sampler({ collectEveryMs: 1000, maxPauseShare: 1 })).toThrow(/^options\.maxPauseShare must be a number greater than 0 and less than 1/);
    expect(() => new Sampler({ collectEveryMs: 1000, maxPauseShare: '5%' as never })).toThrow(TypeError);
    expect(() => new Sampler({ collectEveryMs: 1000, maxPauseShare: 0.2 })).not.toThrow();
  });
});
