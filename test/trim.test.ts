import { describe, expect, it } from 'vitest';
import { trimSync, type MemorySample, type TrimResult } from 'mallinfo';
import { glibcHeap, MiB, runNodeJson } from './helpers';

interface Story {
  before: MemorySample;
  after: MemorySample;
  trim: TrimResult;
  vmRssBefore: number;
  vmRssAfter: number;
}

describe('trimSync()', () => {
  it('measures RSS around malloc_trim', () => {
    const result = trimSync();
    expect(result.rssBefore).toBeGreaterThan(0);
    expect(result.rssAfter).toBeGreaterThan(0);
    expect(result.released).toBe(result.rssBefore! - result.rssAfter!);
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
    expect(trimSync({ pad: 1024 * 1024 }).rssAfter).toBeGreaterThan(0);
  });

  it('the fragmentation story: RSS − inUse is hundreds of MB, and trimSync gives most of it back', async () => {
    const story = await runNodeJson<Story>(['test/fixtures/fragmentation-trim.mjs']);
    const { before, after, trim } = story;
    const held = before.process!.resident - before.heap!.inUse;
    expect(held).toBeGreaterThan(300 * MiB);
    // Not a leak: the program itself holds little.
    expect(before.heap!.inUse).toBeLessThan(50 * MiB);
    expect(before.heap!.free).toBeGreaterThan(300 * MiB);
    // The trim's own before/after, and the kernel's VmRSS read around it, agree.
    expect(Math.abs(trim.rssBefore! - story.vmRssBefore)).toBeLessThan(4 * MiB);
    expect(Math.abs(trim.rssAfter! - story.vmRssAfter)).toBeLessThan(4 * MiB);
    expect(trim.released).toBeGreaterThan(0.7 * held);
    expect(story.vmRssBefore - story.vmRssAfter).toBeGreaterThan(0.7 * held);
    // Nothing the program uses was lost; arena/fordblks do not change with a trim.
    expect(Math.abs(after.heap!.inUse - before.heap!.inUse)).toBeLessThan(MiB);
    expect(Math.abs(glibcHeap(after).mallinfo.arena - glibcHeap(before).mallinfo.arena)).toBeLessThan(8 * MiB);
  });
});
