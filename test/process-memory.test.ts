import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { processMemory, trimSync } from 'mallinfo';
import { MiB, psRssBytes } from './helpers';

/** A /proc file of this process read by another process (cat), in bytes per field. */
function readByCat(file: string): Map<string, number> {
  const text = execFileSync('cat', [`/proc/${process.pid}/${file}`], { encoding: 'latin1' });
  return new Map([...text.matchAll(/^(\w+):\s+(\d+) kB$/gm)].map((m) => [m[1], Number(m[2]) * 1024]));
}

describe('processMemory()', () => {
  it('reports /proc/self/status in bytes, RSS split into anon + file + shmem', () => {
    const m = processMemory();
    for (const key of ['peakVirtual', 'virtual', 'peakResident', 'resident', 'residentAnon', 'residentFile', 'residentShmem', 'data', 'swap'] as const) {
      expect(Number.isInteger(m[key]) && m[key]! >= 0, key).toBe(true);
      expect(m[key]! % 1024, key).toBe(0);
    }
    expect(m.residentAnon! + m.residentFile! + m.residentShmem!).toBe(m.resident);
    expect(m.peakResident!).toBeGreaterThanOrEqual(m.resident!);
    expect(m.peakVirtual!).toBeGreaterThanOrEqual(m.virtual!);
    expect(m.smapsRollup).toBeNull();
  });

  it('agrees with the same file read by another process, and with ps', () => {
    const status = readByCat('status');
    const m = processMemory();
    expect(Math.abs(m.resident! - status.get('VmRSS')!)).toBeLessThan(4 * MiB);
    expect(Math.abs(m.residentFile! - status.get('RssFile')!)).toBeLessThan(4 * MiB);
    // The kernel batches RSS counters per thread: two reads may differ by a few pages either way.
    expect(m.peakResident!).toBeGreaterThanOrEqual(status.get('VmHWM')! - 1 * MiB);
    expect(Math.abs(m.resident! - psRssBytes(process.pid))).toBeLessThan(4 * MiB);
  });

  it('sees 64 MiB of touched Buffer as anonymous memory, and keeps the peak after it is gone', async () => {
    const before = processMemory();
    let big: Buffer | null = Buffer.alloc(64 * MiB, 1);
    const during = processMemory();
    expect(during.residentAnon! - before.residentAnon!).toBeGreaterThan(60 * MiB);
    expect(during.peakResident!).toBeGreaterThanOrEqual(during.resident!);
    expect(big.length).toBe(64 * MiB);
    big = null;
    const gc = (await import('../lib/testing/gc.js')).collectAndSettle;
    await gc();
    trimSync();
    const after = processMemory();
    expect(during.resident! - after.resident!).toBeGreaterThan(48 * MiB);
    // VmHWM and VmRSS come from per-thread batched counters: allow a few pages.
    expect(after.peakResident!).toBeGreaterThanOrEqual(during.resident! - 1 * MiB);
  });

  it('reads smaps_rollup when asked: Pss <= Rss, Rss close to VmRSS, as another process reads it', () => {
    const m = processMemory({ smapsRollup: true });
    const rollup = m.smapsRollup!;
    expect(rollup).not.toBeNull();
    expect(rollup.proportional!).toBeLessThanOrEqual(rollup.resident!);
    expect(Math.abs(rollup.resident! - m.resident!)).toBeLessThan(4 * MiB);
    expect(rollup.privateDirty! + rollup.privateClean! + rollup.sharedDirty! + rollup.sharedClean!).toBe(rollup.resident);
    const cat = readByCat('smaps_rollup');
    expect(Math.abs(rollup.proportional! - cat.get('Pss')!)).toBeLessThan(4 * MiB);
    expect(rollup.swap).toBe(cat.get('Swap'));
  });

  it('rejects invalid options, naming them', () => {
    expect(() => processMemory({ smapsRollup: 'yes' as never })).toThrow('options.smapsRollup must be a boolean');
    expect(() => processMemory({ smaps: true } as never)).toThrow(TypeError);
    expect(() => processMemory(1 as never)).toThrow('options must be an object');
  });
});
