import { describe, expect, it } from 'vitest';
import { sample } from 'mallinfo';
import { collectAndSettle } from '../lib/testing/gc.js';
import { GiB, glibcHeap, KiB, median, MiB, procStatusBytes, runNodeJson } from './helpers';

function inUse(): number {
  return sample().heap!.inUse;
}

describe('heap numbers follow real allocations', () => {
  it('raises inUse by ≈ N for N bytes of Buffers below the mmap threshold, and returns after release', async () => {
    await collectAndSettle();
    const before = inUse();
    const count = 2000;
    const size = 32 * KiB; // below glibc's 128 KiB mmap threshold: arena chunks
    let buffers: Buffer[] | null = [];
    for (let i = 0; i < count; i++) buffers.push(Buffer.alloc(size));
    const grown = inUse() - before;
    const total = count * size;
    expect(grown).toBeGreaterThan(total * 0.95);
    expect(grown).toBeLessThan(total * 1.1);
    expect(buffers.length).toBe(count);
    buffers = null;
    await collectAndSettle();
    expect(inUse() - before).toBeLessThan(total * 0.05);
  });

  it('counts large Buffers (above the mmap threshold) in mmapped', async () => {
    await collectAndSettle();
    const before = glibcHeap(sample());
    // 64 MiB is above even the largest dynamic mmap threshold (32 MiB).
    const big = Buffer.alloc(64 * MiB, 1);
    const after = glibcHeap(sample());
    expect(after.mmapped - before.mmapped).toBeGreaterThanOrEqual(64 * MiB);
    expect(after.mallinfo.hblks - before.mallinfo.hblks).toBeGreaterThanOrEqual(1);
    // In-use also counts what V8's background threads free meanwhile (24 KB once on Node 24).
    expect(after.inUse - before.inUse).toBeGreaterThanOrEqual(63 * MiB);
    expect(big.length).toBe(64 * MiB);
  });

  it('is exact above 4 GiB: two untouched 3 GiB Buffers show in mmapped while RSS barely moves', () => {
    const before = sample();
    // allocUnsafe leaves the pages untouched: address space, not RSS.
    const a = Buffer.allocUnsafe(3 * GiB);
    const b = Buffer.allocUnsafe(3 * GiB);
    const after = sample();
    expect(after.heap!.exact).toBe(true);
    expect(after.heap!.mmapped).toBeGreaterThanOrEqual(6 * GiB);
    expect(after.heap!.inUse).toBeGreaterThanOrEqual(6 * GiB);
    expect(after.process!.virtual).toBeGreaterThanOrEqual(6 * GiB);
    expect(after.process!.resident - before.process!.resident).toBeLessThan(64 * MiB);
    expect(Math.abs(after.process!.resident - procStatusBytes('VmRSS'))).toBeLessThan(8 * MiB);
    expect(a.length + b.length).toBe(6 * GiB);
  });
});

describe('the observer does not perturb what it measures', () => {
  it('100,000 native fills (the C++ behind sample()) change heap.inUse by 0 bytes (median of 7 trials)', async () => {
    const { deltas } = await runNodeJson<{ deltas: number[] }>(['--single-threaded', 'test/fixtures/perturb.cjs'], {
      env: { TARGET: 'fill' },
    });
    expect(deltas).toHaveLength(7);
    expect(median(deltas)).toBe(0);
  });

  it('100,000 sample() calls move heap.inUse by less than 1 byte per call (median of 7 trials)', async () => {
    // Not 0 on Node >= 22: the JS objects of a sample cause GC work, and
    // V8's getHeapStatistics keeps a little bookkeeping, both through malloc
    // (~0.05-0.1 byte per call, measured with plain objects alone).
    const { deltas } = await runNodeJson<{ deltas: number[] }>(['--single-threaded', 'test/fixtures/perturb.cjs']);
    expect(deltas).toHaveLength(7);
    expect(median(deltas)).toBeLessThan(100_000);
  });

  it('the same measurement does see a 16-byte allocation per call (the test can fail)', async () => {
    const { deltas } = await runNodeJson<{ deltas: number[] }>(['--single-threaded', 'test/fixtures/perturb.cjs'], {
      env: { ALLOCATE_PER_CALL: '1' },
    });
    expect(median(deltas)).toBeGreaterThan(100_000 * 16);
  });
});
