import { cpus } from 'node:os';
import { describe, expect, it } from 'vitest';
import { arenas, sample, type MallocSettings } from 'mallinfo';
import { glibcHeap, runNodeJson } from './helpers';

interface Growth {
  before: number;
  after: number;
  systemBytes: number[];
  settings: MallocSettings;
  availableParallelism: number;
}

const growth = (env: NodeJS.ProcessEnv = {}, prefix: string[] = []): Promise<Growth> =>
  prefix.length === 0
    ? runNodeJson<Growth>(['test/fixtures/arena-growth.cjs'], { env })
    : runNodeJson<Growth>(['-e', `require('child_process').execFileSync(${JSON.stringify(prefix[0])}, ${JSON.stringify([...prefix.slice(1), process.execPath, 'test/fixtures/arena-growth.cjs'])}, { stdio: 'inherit' })`], { env });

describe('arenas()', () => {
  it("lists this process's arenas, main arena first, adding up to mallinfo2's arena", () => {
    const report = arenas();
    if (report.allocator !== 'glibc') throw new Error(`expected glibc's arenas, got ${report.allocator}`);
    expect(report.count).toBe(report.arenas.length);
    expect(report.count).toBeGreaterThanOrEqual(1);
    report.arenas.forEach((a, i) => expect(a.index).toBe(i));
    const total = report.arenas.reduce((s, a) => s + a.system.current, 0);
    expect(total).toBe(report.totals.system.current);
    expect(Math.abs(total - glibcHeap(sample()).mallinfo.arena)).toBeLessThan(1024 * 1024);
  });

  it('shows libuv threadpool work (zlib, crypto) creating arenas', async () => {
    const { before, after, systemBytes, settings } = await growth();
    expect(after).toBeGreaterThan(2);
    expect(after).toBeGreaterThan(before);
    expect(after).toBeLessThanOrEqual(settings.arenaMax.value);
    for (const bytes of systemBytes) expect(bytes).toBeGreaterThan(0);
  });

  it('MALLOC_ARENA_MAX=2 caps them at 2', async () => {
    const { after, settings } = await growth({ MALLOC_ARENA_MAX: '2' });
    expect(after).toBeLessThanOrEqual(2);
    expect(settings.arenaMax).toEqual({ value: 2, source: 'env', setBy: 'MALLOC_ARENA_MAX' });
  });

  it('GLIBC_TUNABLES arena_max wins over MALLOC_ARENA_MAX, in either order', async () => {
    for (const env of [
      { GLIBC_TUNABLES: 'glibc.malloc.arena_max=1', MALLOC_ARENA_MAX: '8' },
      { MALLOC_ARENA_MAX: '8', GLIBC_TUNABLES: 'glibc.malloc.arena_max=1' },
    ]) {
      const { after, settings } = await growth(env);
      expect(after).toBe(1);
      expect(settings.arenaMax).toEqual({ value: 1, source: 'tunable', setBy: 'glibc.malloc.arena_max' });
    }
  });

  it('an out-of-range tunable is ignored, and MALLOC_ARENA_MAX applies', async () => {
    const { after, settings } = await growth({ GLIBC_TUNABLES: 'glibc.malloc.arena_max=0', MALLOC_ARENA_MAX: '1' });
    expect(after).toBe(1);
    expect(settings.arenaMax).toEqual({ value: 1, source: 'env', setBy: 'MALLOC_ARENA_MAX' });
    expect(settings.ignored).toEqual(['glibc.malloc.arena_max=0 (out of range: glibc ignores it)']);
  });

  it('by default glibc allows 8 × the online CPUs, whatever the affinity mask (taskset -c 0)', async () => {
    const online = cpus().length;
    const limit = 8 * online;
    // More threadpool threads than the limit, all pinned to one CPU.
    const { after, settings, availableParallelism } = await growth({ UV_THREADPOOL_SIZE: String(Math.min(limit + 8, 1024)) }, [
      'taskset',
      '-c',
      '0',
    ]);
    expect(availableParallelism).toBe(1);
    expect(settings.cpuCount).toBe(online);
    expect(settings.arenaMax).toEqual({ value: limit, source: 'default', setBy: null });
    expect(after).toBeLessThanOrEqual(limit);
    // With few CPUs the limit is reachable: it is 8 × online, not 8 × the one CPU of the mask.
    if (limit <= 64) expect(after).toBe(limit);
  });

  it('reads the environment the process started with: process.env changes come too late for glibc and are not reported', async () => {
    const { after, settings } = await growth({ CHANGE_ENV: '1' });
    expect(settings.arenaMax.source).toBe('default');
    expect(after).toBeGreaterThan(2);
  });
});
