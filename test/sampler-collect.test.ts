// A Sampler that runs full collections itself (collectEveryMs) after its samples: its
// records, its options, and the verdicts it reaches in seconds on
// workloads whose garbage hides the answer from passive sampling.
import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { Sampler, sample, type Verdict } from 'mallinfo';
import { runNodeJson } from './helpers';

describe('Sampler collectEveryMs', () => {
  it('validates the option by name', () => {
    expect(() => new Sampler({ collectEveryMs: 0 })).toThrow(RangeError);
    expect(() => new Sampler({ collectEveryMs: 0 })).toThrow(/^options\.collectEveryMs must be an integer from 1 to 2147483647/);
    expect(() => new Sampler({ collectEveryMs: 1.5 })).toThrow(RangeError);
    expect(() => new Sampler({ collectEveryMs: '1s' as never })).toThrow(TypeError);
    expect(() => new Sampler({ collectEveryMs: '1s' as never })).toThrow(/^options\.collectEveryMs must be a number/);
  });

  it('collects right after a sample, at most once per collectEveryMs, and records it with forced: true', async () => {
    // A pause budget wide enough for a loaded machine: its limit is tested in forced-collections.test.ts.
    const sampler = new Sampler({ intervalMs: 20, collectEveryMs: 100, maxPauseShare: 0.9 });
    const seen: number[] = [];
    sampler.on('collection', (c) => {
      if (c.forced) seen.push(c.time);
    });
    sampler.start();
    await delay(1000);
    sampler.stop();
    const forced = sampler.collectionHistory().filter((c) => c.forced);
    expect(forced.map((c) => c.time)).toEqual(seen);
    // ~10 in 1 s (timers are late on a busy machine, never early by more than the 10 % allowed).
    expect(forced.length).toBeGreaterThanOrEqual(4);
    expect(forced.length).toBeLessThanOrEqual(12);
    // Each starts ≥ 90 ms after the one before; a record's time is when it ended.
    for (let i = 1; i < forced.length; i++) expect(forced[i].time - forced[i - 1].time).toBeGreaterThanOrEqual(89 - forced[i - 1].durationMs!);
    const history = sampler.history();
    for (const c of forced) {
      expect(c).toMatchObject({ kind: 'major', forced: true, v8Used: expect.any(Number), inUse: expect.any(Number) });
      expect(c.durationMs).toBeGreaterThan(0);
      // Right after a sample.
      const before = history.filter((s) => s.time <= c.time).at(-1)!;
      expect(c.time - before.time).toBeLessThan(c.durationMs! + 50);
    }
    // Full collections' readings are V8's floor: none of the samples is lower (but for a few KB made meanwhile).
    expect(Math.min(...forced.map((c) => c.v8Used!))).toBeLessThanOrEqual(Math.min(...history.map((s) => s.v8.used)) + 64 * 1024);
    // A full collection ran: V8's heap right after it is no larger than now, with garbage made since.
    const garbage = Array.from({ length: 10_000 }, (_, i) => ({ i }));
    expect(garbage.length).toBe(10_000);
    expect(forced.at(-1)!.v8Used!).toBeLessThan(sample().v8.used);
  });

  it("leaves no global gc() behind for the program's later vm contexts and worker threads", async () => {
    const r = await runNodeJson<{ forced: number; main: string; context: string; worker: string }>(['test/fixtures/gc-flag.mjs'], { timeoutMs: 30_000 });
    expect(r.forced).toBeGreaterThanOrEqual(1);
    expect(r).toMatchObject({ main: 'undefined', context: 'undefined', worker: 'undefined' });
  });

  it('runs no collection of its own without the option', async () => {
    const sampler = new Sampler({ intervalMs: 10 }).start();
    await delay(200);
    sampler.stop();
    expect(sampler.collectionHistory().filter((c) => c.forced)).toEqual([]);
  });

  // Whether V8 counts WebAssembly memories as external memory, as it counts the Buffers a native addon's own allocator
  // holds. Node 26's V8 no longer does: there the fixture is a leak in RSS alone, beyond all malloc and V8 count.
  const wasmCountsAsExternal = (): boolean => {
    const before = process.memoryUsage().external;
    const memory = new WebAssembly.Memory({ initial: 16 });
    return process.memoryUsage().external - before >= memory.buffer.byteLength / 2;
  };

  it('calls memory JavaScript keeps outside malloc a native leak, by V8\'s external memory where it counts it, by RSS where not; passive sampling never stable', async () => {
    // WebAssembly memories kept, 5 MB a second: V8 maps them, as a native addon's own allocator (Rust's mimalloc) holds its Buffers.
    type Result = { verdict: Verdict; summary: string; nativeSeries: string; idle: number; free: number; rssGrowth: number; inUseGrowth: number };
    const run = (every: string): Promise<Result> => runNodeJson<Result>(['test/fixtures/collect-every.mjs', 'outside-malloc-leak', '8', every], { timeoutMs: 60_000 });
    const [collecting, passive] = await Promise.all([run('500'), run('0')]);
    // The kernel saw the process grow by tens of MB; malloc's in-use, read after two full collections, did not.
    for (const r of [collecting, passive]) {
      expect(r.rssGrowth).toBeGreaterThan(20 * 1024 * 1024);
      expect(r.inUseGrowth).toBeLessThan(8 * 1024 * 1024);
    }
    expect(collecting.verdict, collecting.summary).toBe('native-leak');
    if (wasmCountsAsExternal()) {
      expect(collecting.nativeSeries).toBe('v8External');
      expect(collecting.summary).toMatch(/an allocator other than malloc holds that memory/);
    } else {
      expect(collecting.nativeSeries).toBe('outsideMalloc');
      expect(collecting.summary).toMatch(/^Native memory is leaking outside malloc/);
    }
    // The WebAssembly memory is not taken for freed memory kept: what fragmentation counts is at most malloc's free
    // bytes (the Buffer churn's, which on Node 24 can be fragmentation of its own, beside the leak).
    for (const r of [collecting, passive]) expect(r.idle).toBeLessThanOrEqual(r.free);
    // Passive: never stable. A native leak outside malloc where RSS rose beyond all malloc and V8 count, else open; or a
    // native leak by in-use's own garbage (its churn's Buffers; on Node 22 they once stood 13 MB high after the window's
    // one full collection). diagnose-outside-malloc.test.ts has the words.
    expect(['insufficient-data', 'native-leak'], passive.summary).toContain(passive.verdict);
    expect(['inUse', 'outsideMalloc']).toContain(passive.nativeSeries);
  });

  // Once more on failure: three child processes share a loaded machine, and in 1 of ~9 runs of 2026-12-07 (Node 22) the
  // sawtooth's warm-up in its first seconds left the 8 s window open (in-use 1.9 → 4.3 MB); 6 of 6 reruns were stable.
  it('gives the right verdict in 8 s where the garbage of passive sampling leaves it open', { retry: 1 }, async () => {
    type Result = { verdict: Verdict; summary: string; notes: string[]; forced: number };
    const run = (kind: string): Promise<Result> => runNodeJson<Result>(['test/fixtures/collect-every.mjs', kind, '8', '500'], { timeoutMs: 60_000 });
    const [v8Leak, nativeLeak, sawtooth] = await Promise.all([run('v8-leak'), run('native-leak'), run('sawtooth')]);
    expect(v8Leak.verdict, v8Leak.summary).toBe('v8-leak');
    expect(nativeLeak.verdict, nativeLeak.summary).toBe('native-leak');
    expect(sawtooth.verdict, sawtooth.summary).toBe('stable');
    for (const r of [v8Leak, nativeLeak, sawtooth]) {
      // ~16 in 8 s; fewer where a loaded machine makes the pauses long enough for the 5 % budget to space them.
      expect(r.forced).toBeGreaterThanOrEqual(5);
      expect(r.notes.join(' ')).toMatch(/full collections run by the Sampler \(collectEveryMs\)/);
      // And what they cost: within the default pause budget (5 %, and the 10 % early a tick may come).
      const share = /paused the program \d+ ms in all \((\d+\.\d) % of the window\)/.exec(r.notes.join(' '));
      expect(share, r.notes.join(' ')).not.toBeNull();
      expect(Number(share![1])).toBeLessThanOrEqual(6);
    }
  });
});
