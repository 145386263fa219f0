import { createHash, type Hash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { expectNoLeak, LeakError, measure, MeasurementTimeoutError } from 'mallinfo/testing';
import { trimSync } from 'mallinfo';
import { KiB, MiB, procStatusBytes, rejection, runNodeJson } from './helpers';

describe('measure()', () => {
  it('reports Buffers kept by the measured calls in native in-use, V8 external and, trimmed, in the kernel’s RSS', async () => {
    const kept: Buffer[] = [];
    // Trimmed before each reading, RSS holds no free allocator pages that the Buffers could reuse unseen.
    trimSync();
    const rssAnonBefore = procStatusBytes('RssAnon');
    const m = await measure(() => kept.push(Buffer.alloc(64 * KiB, 1)), { iterations: 500, trim: true });
    const rssAnonGrowth = procStatusBytes('RssAnon') - rssAnonBefore;
    const total = 500 * 64 * KiB;
    expect(kept).toHaveLength(500);
    expect(m.iterations).toBe(500);
    expect(m.change.nativeInUse!).toBeGreaterThanOrEqual(total);
    expect(m.change.nativeInUse!).toBeLessThan(total * 1.05);
    expect(m.change.v8External).toBe(total);
    // The kernel saw the filled pages arrive, through statm and through /proc/self/status alike.
    expect(m.change.resident!).toBeGreaterThan(total * 0.9);
    expect(rssAnonGrowth).toBeGreaterThan(total * 0.9);
    expect(m.after.heap!.inUse - m.before.heap!.inUse).toBe(m.change.nativeInUse);
    expect(m.durationMs).toBeGreaterThan(0);
  });

  it('awaits an async function and sees the JS objects it keeps in the V8 heap, not in the C heap', async () => {
    const kept: number[][] = [];
    const m = await measure(
      async () => {
        await new Promise<void>((resolve) => setImmediate(resolve));
        kept.push(new Array(1280).fill(0.5)); // a 10,240-byte FixedDoubleArray + its JSArray
      },
      { iterations: 2000, warmup: 10 },
    );
    expect(kept).toHaveLength(2010);
    const keptBytes = 2000 * 10_240;
    // 20 MB kept, so that what else V8's heap gains or loses meanwhile
    // (code compiled, or flushed: +270 KB and -100 KB seen on Node 26 under
    // load) stays a small part of it.
    expect(m.change.v8Used).toBeGreaterThan(0.95 * keptBytes);
    expect(m.change.v8Used).toBeLessThan(2000 * 11_264);
    // Kept in the C heap they would show there as 20 MB; what malloc moves
    // meanwhile (the compiler's zones, V8's page bookkeeping, async
    // hooks) is ±0.7 MB on a loaded machine, whatever the count of calls.
    expect(Math.abs(m.change.nativeInUse!)).toBeLessThan(0.1 * keptBytes);
  });

  it('two GCs return dropped Buffers to malloc every time (one GC races V8’s sweeper thread)', async () => {
    const { oneGc, twoGcs } = await runNodeJson<{ oneGc: number[]; twoGcs: number[] }>(['test/fixtures/sweeper.cjs']);
    // After one GC the share back is a race with the sweeper thread: often
    // near 0 on a busy machine, all of it on a quiet one (a fresh-clone CI
    // run saw 1.03 in all 10 trials), so it is shown, not asserted.
    console.log(`share of 20 MB of dropped Buffers back after one GC, 10 trials: ${oneGc.map((x) => x.toFixed(2)).join(' ')}`);
    // Each 1 KB Buffer held 1,024 bytes and its bookkeeping: all of it came back, every time.
    expect(Math.min(...twoGcs)).toBeGreaterThan(1);
  });

  it('measures no change for a function that allocates 20 MB of Buffers and drops them', async () => {
    const m = await measure(() => Array.from({ length: 20_000 }, () => Buffer.alloc(KiB)).length);
    // 20 MB went through malloc; what stays is V8's and Node's own
    // bookkeeping, seen up to ~300 KB on Node 24: far from the 20 MB a
    // kept result would show.
    expect(Math.abs(m.change.nativeInUse!)).toBeLessThan(MiB);
    expect(m.change.v8External).toBe(0);
  });
});

describe('expectNoLeak()', () => {
  it('rejects a function that keeps 1 KB Buffers with a LeakError: native growth, its rate, series and a hint', async () => {
    const kept: Buffer[] = [];
    const error = await rejection<LeakError>(expectNoLeak(() => kept.push(Buffer.alloc(KiB))));
    expect(error).toBeInstanceOf(LeakError);
    expect(error.code).toBe('ERR_MALLINFO_LEAK');
    expect(['native', 'both']).toContain(error.kind);
    // 1024 bytes plus malloc's chunk header, per call; and exactly 1024 bytes of external memory.
    expect(error.bytesPerIteration.native!).toBeGreaterThan(1024);
    expect(error.bytesPerIteration.native!).toBeLessThan(1400);
    expect(error.bytesPerIteration.external).toBe(1024);
    expect(error.attempts.map((a) => a.iterations)).toEqual([1000, 2000, 4000]);
    expect(error.iterations).toBe(4000);
    expect(error.series.calls).toEqual([0, 400, 800, 1200, 1600, 2000, 2400, 2800, 3200, 3600, 4000]);
    expect(error.series.nativeInUse).toHaveLength(11);
    expect(error.tolerance).toEqual({ native: 64, v8: 32 });
    const lines = error.message.split('\n');
    expect(lines[0]).toMatch(/^Memory grew in the native heap \(malloc\) by 1,[0-3]\d\d bytes per iteration/);
    expect(lines[0]).toContain(
      '(tolerance: native 64, V8 32 bytes per iteration), without slowing down in each of 3 judged attempts (7000 iterations in all), after a warm-up of 100 calls:',
    );
    expect(error.warmup).toEqual({ calls: 100, extended: 0, leveledOff: true });
    expect(error.message).toMatch(/^ +attempt +role +iterations +native B\/iteration +\(1st half → 2nd\) +V8 B\/iteration +\(1st half → 2nd\) +external B\/iteration$/m);
    expect(error.message).toMatch(/^ +3 +judged +4000 +1,[0-3]\d\d +1,[0-3]\d\d → 1,[0-3]\d\d +[-\d.,]+ +[-\d.,]+ → [-\d.,]+ +1,024$/m);
    // Growth per round: the slope a reader sees, round after round.
    expect(error.message).toMatch(/^ +calls +native B\/iteration +V8 B\/iteration +native in use +V8 used +of it code +V8 external +RSS$/m);
    // The last round's totals (its own rate is one of the ten below: CI on Node 24 read 1,744 there once).
    expect(error.message).toMatch(/^ +4000 +[\d,]+ +[-\d.,]+ +\+4\.\d MB +[+-][\d.]+ [KM]?B +[+-][\d.]+ [KM]?B +\+3\.9 MB +[+-][\d.]+ [KM]?B$/m);
    // Ten rounds, each ~1.2 KB per call; a round or few may read outside 1.0–1.4 KB (on Node 24 in CI, 2 or 3 of 10
    // did, with every attempt's rate at 1,201-1,205: the rate checked above is the judged one).
    expect(error.message.match(/^ +\d+00 +[-\d,.]+ /gm)).toHaveLength(10);
    expect(error.message.match(/^ +\d+00 +1,[0-3]\d\d /gm)!.length).toBeGreaterThanOrEqual(6);
    expect(error.message).toMatch(/^The 3\d readings waited for handles to close \(closed: nothing; \d+ ms in all\), then for \d+ garbage collections/m);
    expect(error.message).toContain('Hint: V8\'s external memory (ArrayBuffers, Buffers, typed arrays) grew by 1,024 bytes per iteration');
    expect(kept.length).toBe(100 + 7000);
  });

  it('rejects a function that keeps 1 KB of JS objects with kind "v8" and the JS hint', async () => {
    const kept: number[][] = [];
    const error = await rejection<LeakError>(expectNoLeak(() => kept.push(new Array(126).fill(0.5)), { iterations: 500, retries: 1 }));
    expect(error).toBeInstanceOf(LeakError);
    expect(error.kind).toBe('v8');
    expect(error.bytesPerIteration.v8).toBeGreaterThan(1024);
    expect(error.bytesPerIteration.v8).toBeLessThan(1200);
    expect(error.bytesPerIteration.native!).toBeLessThan(64);
    expect(error.message).toMatch(/^Memory grew in the V8 heap by 1,\d\d\d bytes per iteration/);
    expect(error.message).toContain('Hint: JS objects are kept alive');
  });

  it('says when native growth is not ArrayBuffers (kept OpenSSL hash contexts)', async () => {
    const kept: Hash[] = [];
    const error = await rejection<LeakError>(expectNoLeak(() => kept.push(createHash('sha256')), { iterations: 500, retries: 1 }));
    expect(error).toBeInstanceOf(LeakError);
    expect(error.bytesPerIteration.native!).toBeGreaterThan(64);
    expect(error.bytesPerIteration.external).toBeLessThan(error.bytesPerIteration.native! / 2);
    expect(error.message).toMatch(/Hint: Only [\d.,]+ bytes per iteration of it are ArrayBuffers: native code allocates without freeing/);
  });

  it('passes a function that allocates and frees 1 MB per call', async () => {
    const check = await expectNoLeak(() => Buffer.alloc(MiB).length);
    // A thousandth of what each call allocates at most, where a leak of it would show 1 MB per iteration.
    expect(check.bytesPerIteration.native!).toBeLessThan(1024);
    expect(check.bytesPerIteration.v8).toBeLessThan(1024);
    expect(check.iterations).toBe(check.attempts.reduce((n, a) => n + a.iterations, 0));
  });

  it('passes a cache that fills to a bound and stops: the retry with more iterations sees no growth', async () => {
    const cache = new Map<number, Buffer>();
    let key = 0;
    const check = await expectNoLeak(() => {
      if (cache.size < 1000) cache.set(key++, Buffer.alloc(KiB));
    });
    expect(cache.size).toBe(1000);
    // The first attempt (calls 100 to 1,100) watched the cache fill; the next one did not.
    expect(check.attempts.length).toBeGreaterThanOrEqual(2);
    expect(check.attempts[0].bytesPerIteration.native!).toBeGreaterThan(500);
    expect(check.bytesPerIteration.native!).toBeLessThan(256);
  });

  it('awaits async functions: passes one that frees, rejects one that keeps', async () => {
    const check = await expectNoLeak(async () => {
      const b = Buffer.alloc(KiB);
      await new Promise<void>((resolve) => setImmediate(resolve));
      return b.length;
    }, { iterations: 200 });
    expect(check.attempts[0].iterations).toBe(200);
    const kept: Buffer[] = [];
    const error = await rejection<LeakError>(
      expectNoLeak(async () => {
        await new Promise<void>((resolve) => setImmediate(resolve));
        kept.push(Buffer.alloc(KiB));
      }, { iterations: 200, retries: 1 }),
    );
    expect(error).toBeInstanceOf(LeakError);
    expect(kept).toHaveLength(100 + 200 + 400);
  });

  it('lets a leak within tolerance pass, and checks V8 only with tolerance.native = Infinity', async () => {
    const kept: Buffer[] = [];
    await expectNoLeak(() => kept.push(Buffer.alloc(KiB)), { iterations: 200, retries: 0, tolerance: 4096 });
    const check = await expectNoLeak(() => kept.push(Buffer.alloc(KiB)), { iterations: 200, retries: 0, tolerance: { native: Infinity, v8: 1024 } });
    expect(check.bytesPerIteration.native!).toBeGreaterThan(1024);
  });

  it('trims between rounds when asked, and still sees the leak', async () => {
    const kept: Buffer[] = [];
    const error = await rejection<LeakError>(expectNoLeak(() => kept.push(Buffer.alloc(KiB)), { iterations: 200, retries: 0, trim: true }));
    expect(error).toBeInstanceOf(LeakError);
    expect(error.bytesPerIteration.native!).toBeGreaterThan(1024);
  });

  it('stops with a MeasurementTimeoutError after timeoutMs', async () => {
    const slow = (): void => {
      const end = performance.now() + 1;
      while (performance.now() < end);
    };
    const error = await rejection<MeasurementTimeoutError>(expectNoLeak(slow, { timeoutMs: 100 }));
    expect(error).toBeInstanceOf(MeasurementTimeoutError);
    expect(error.code).toBe('ERR_MALLINFO_TIMEOUT');
    expect(error.message).toContain('options.timeoutMs (100 ms)');
    // Checked between calls: it stops during the warm-up (100 calls of 1 ms), however loaded the machine.
    expect(error.calls).toBeGreaterThan(0);
    expect(error.calls).toBeLessThanOrEqual(100);
  });

  it('rethrows what the function throws', async () => {
    const error = await rejection(expectNoLeak(() => {
      throw new Error('boom');
    }));
    expect((error as Error).message).toBe('boom');
  });
});
