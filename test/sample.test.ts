import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { allocator, sample } from 'mallinfo';
import { binding } from '../lib/core/native.js';
import { glibcHeap, median, procStatusBytes, psRssBytes } from './helpers';

const pageSize = binding.pageSize;

describe('sample()', () => {
  it('has every documented field, in bytes, from a glibc allocator', () => {
    const s = sample();
    expect(allocator().kind).toBe('glibc');
    const heap = glibcHeap(s);
    const m = heap.mallinfo;
    expect(heap.inUse).toBe(m.uordblks + m.hblkhd);
    expect(heap.free).toBe(m.fordblks);
    expect(heap.mapped).toBe(m.arena + m.hblkhd);
    expect(heap.mmapped).toBe(m.hblkhd);
    expect(heap.exact).toBe(true);
    expect(m.usmblks).toBe(0);
    for (const value of Object.values(m) as number[]) expect(Number.isInteger(value) && value >= 0).toBe(true);
    expect(heap.inUse).toBeGreaterThan(0);
    const p = s.process!;
    for (const key of ['virtual', 'resident', 'shared', 'text', 'data'] as const) {
      expect(p[key] % pageSize, key).toBe(0);
      expect(p[key], key).toBeGreaterThan(0);
    }
    expect(p.virtual).toBeGreaterThan(p.resident);
    expect(s.v8.used).toBeGreaterThan(0);
    expect(s.v8.total).toBeGreaterThanOrEqual(s.v8.used);
    expect(s.v8.limit).toBeGreaterThan(s.v8.total);
    expect(Math.abs(s.time - Date.now())).toBeLessThan(1000);
    expect(s.costNs).toBeGreaterThan(0);
    expect(s.costNs).toBeLessThan(1e9);
  });

  it('reports resident memory that agrees with /proc/self/status VmRSS', () => {
    const diffs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const before = procStatusBytes('VmRSS');
      const resident = sample().process!.resident;
      const after = procStatusBytes('VmRSS');
      diffs.push(Math.min(Math.abs(resident - before), Math.abs(resident - after)));
    }
    expect(median(diffs)).toBeLessThanOrEqual(16 * pageSize);
  });

  it('reports resident memory that agrees with ps -o rss= (a separate process looking in)', () => {
    // RSS moves while ps starts (Node 24's background threads, spawnSync's
    // own buffers): compare with readings taken just before and just after.
    const diffs: number[] = [];
    for (let i = 0; i < 3; i++) {
      const before = sample().process!.resident;
      const ps = psRssBytes(process.pid);
      const after = sample().process!.resident;
      diffs.push(Math.max(0, Math.min(before, after) - ps, ps - Math.max(before, after)));
    }
    expect(median(diffs)).toBeLessThanOrEqual(64 * pageSize);
  });

  it('reports virtual size and data that agree with VmSize and VmData + VmStk', () => {
    const s = sample().process!;
    expect(Math.abs(s.virtual - procStatusBytes('VmSize'))).toBeLessThanOrEqual(1024 * pageSize);
    const dataStack = procStatusBytes('VmData') + procStatusBytes('VmStk');
    expect(Math.abs(s.data - dataStack)).toBeLessThanOrEqual(1024 * pageSize);
  });

  it('agrees with glibc malloc_info: arena = sum of heaps current, mmapped = total mmap', () => {
    // Both read the same allocator, one after the other: on a quiet process
    // they must match to the byte most of the time; allow other threads' noise.
    const xml = binding.mallocInfo()!;
    const heap = glibcHeap(sample());
    const systemCurrent = [...xml.matchAll(/<heap nr="\d+">[\s\S]*?<system type="current" size="(\d+)"\/>/g)]
      .map((m) => Number(m[1]))
      .reduce((a, b) => a + b, 0);
    const mmap = /<total type="mmap" count="(\d+)" size="(\d+)"\/>/.exec(xml)!;
    expect(Math.abs(heap.mallinfo.arena - systemCurrent)).toBeLessThanOrEqual(1024 * 1024);
    expect(Math.abs(heap.mallinfo.hblks - Number(mmap[1]))).toBeLessThanOrEqual(2);
    expect(Math.abs(heap.mmapped - Number(mmap[2]))).toBeLessThanOrEqual(1024 * 1024);
  });

  it('returns a new object each call; earlier samples keep their values', () => {
    const a = sample();
    const keep = JSON.stringify(a);
    const hold = Buffer.alloc(8 * 1024 * 1024, 1);
    const b = sample();
    expect(b).not.toBe(a);
    expect(JSON.stringify(a)).toBe(keep);
    expect(b.heap!.inUse).not.toBe(a.heap!.inUse);
    expect(hold.length).toBe(8 * 1024 * 1024);
  });

  it('agrees with a second process reading our statm independently', () => {
    const out = spawnSync('cat', [`/proc/${process.pid}/statm`], { encoding: 'utf8' });
    const pages = out.stdout.trim().split(' ').map(Number);
    const s = sample().process!;
    expect(s.text).toBe(pages[3] * pageSize);
    // Virtual size moves by whole mappings between the two reads: a new thread's
    // 8 MiB stack, a new arena's 64 MiB reservation.
    expect(Math.abs(s.virtual - pages[0] * pageSize)).toBeLessThanOrEqual(128 * 1024 * 1024);
  });
});
