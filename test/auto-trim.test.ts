import { describe, expect, it } from 'vitest';
import { Sampler, sample, type AutoTrimEvent, type AutoTrimStats, type MemorySample } from 'mallinfo';
import { AutoTrimmer } from '../lib/sampler/auto-trim.js';
import { MiB, runNodeJson } from './helpers';

interface Story {
  trimsAfterSteady: number;
  trimsAfterBurst: number;
  trimsAfterLeak: number;
  naiveTrims: number;
  events: AutoTrimEvent[];
  stats: AutoTrimStats;
  leakInUseGrowth: number;
  leakFree: number;
}

/** A real sample with the allocator's and the kernel's numbers set as a scenario needs. */
function scenario(free: number, heldBytes: number): MemorySample {
  const s = sample();
  return {
    ...s,
    heap: { ...s.heap!, free, inUse: 10 * MiB },
    process: { ...s.process!, resident: 10 * MiB + s.v8.physical + heldBytes },
  };
}

/** Feeds samples to an AutoTrimmer (the real trim() runs) and returns the trims it reported. */
async function decide(minIntervalMs: number, samples: MemorySample[]): Promise<AutoTrimEvent[]> {
  const events: AutoTrimEvent[] = [];
  const trimmer = AutoTrimmer.fromOption({ minFreeBytes: 100 * MiB, minIntervalMs }, (e) => events.push(e))!;
  for (const s of samples) {
    trimmer.consider(s);
    // A trim that started is awaited before the next sample, as with a sampler's interval.
    while (trimmer.trimming) await new Promise((resolve) => setTimeout(resolve, 2));
    await new Promise((resolve) => setImmediate(resolve)); // the event is emitted on the next tick
  }
  return events;
}

describe('Sampler autoTrim', () => {
  it('is off by default', () => {
    expect(new Sampler().trimStats()).toEqual({ count: 0, releasedBytes: 0, lastTrim: null });
  });

  it('on a steady fragmented heap: trims once, not on every sample; again after a new burst; never for a leak', async () => {
    const story = await runNodeJson<Story>(['test/fixtures/auto-trim.mjs']);
    // The naive rule (heap.free >= minFreeBytes) holds on every sample, before and after the trim...
    expect(story.naiveTrims).toBeGreaterThanOrEqual(35);
    // ...but one trim gave the memory back, and the next 39 samples saw nothing more to take.
    expect(story.trimsAfterSteady).toBe(1);
    expect(story.events[0].released).toBeGreaterThan(300 * MiB);
    expect(story.events[0].residentFreeEstimate).toBeNull();
    // A second burst: its freed memory is resident again, and it is trimmed.
    expect(story.trimsAfterBurst).toBe(2);
    expect(story.events[1].released).toBeGreaterThan(200 * MiB);
    expect(story.events[1].residentFreeEstimate!).toBeGreaterThan(200 * MiB);
    // A leak: in use grows, heap.free stays above the threshold, nothing is trimmed.
    expect(story.leakInUseGrowth).toBeGreaterThan(250 * MiB);
    expect(story.leakFree).toBeGreaterThan(100 * MiB);
    expect(story.trimsAfterLeak).toBe(2);
    // Counted: every trim, and the bytes they released.
    expect(story.stats.count).toBe(2);
    expect(story.stats.releasedBytes).toBe(story.events[0].released! + story.events[1].released!);
    expect(story.stats.lastTrim).toEqual(story.events[1]);
  });

  it('the rule: heap.free over the threshold, then resident free growth over it, and the interval', async () => {
    const quiet = [scenario(500 * MiB, 400 * MiB), scenario(500 * MiB, 400 * MiB), scenario(500 * MiB, 420 * MiB)];
    // First trim on heap.free alone; afterwards the baseline is "held" minus what the trim released.
    const first = await decide(0, quiet);
    expect(first).toHaveLength(1);
    expect(first[0].freeBefore).toBe(500 * MiB);
    // Below minFreeBytes of free memory: never.
    expect(await decide(0, [scenario(99 * MiB, 900 * MiB)])).toHaveLength(0);
    // Resident free memory grew by more than minFreeBytes: trims again.
    const regrown = await decide(0, [scenario(500 * MiB, 400 * MiB), scenario(500 * MiB, 400 * MiB + 150 * MiB)]);
    expect(regrown).toHaveLength(2);
    expect(regrown[1].residentFreeEstimate).toBeGreaterThanOrEqual(150 * MiB - regrown[0].released!);
    // The same growth inside minIntervalMs: not yet.
    expect(await decide(60_000, [scenario(500 * MiB, 400 * MiB), scenario(500 * MiB, 400 * MiB + 150 * MiB)])).toHaveLength(1);
  });

  it('rejects invalid autoTrim options, naming them', () => {
    expect(() => new Sampler({ autoTrim: 5 as never })).toThrow(/options\.autoTrim must be an object/);
    expect(() => new Sampler({ autoTrim: null as never })).toThrow(TypeError);
    expect(() => new Sampler({ autoTrim: { minFree: 1 } as never })).toThrow(/options\.autoTrim\.minFree must be one of/);
    expect(() => new Sampler({ autoTrim: { minFreeBytes: 0 } })).toThrow(/options\.autoTrim\.minFreeBytes must be an integer >= 1, got 0/);
    expect(() => new Sampler({ autoTrim: { minFreeBytes: 1.5 } })).toThrow(RangeError);
    expect(() => new Sampler({ autoTrim: { minFreeBytes: '1' as never } })).toThrow(TypeError);
    expect(() => new Sampler({ autoTrim: { minIntervalMs: -1 } })).toThrow(/options\.autoTrim\.minIntervalMs/);
    expect(new Sampler({ autoTrim: {} }).trimStats().count).toBe(0);
  });
});
