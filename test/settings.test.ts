import { describe, expect, it } from 'vitest';
import { allocator, mallocSettings, type MallocSetting, type MallocSettings } from 'mallinfo';
import { startupEnvironment } from '../lib/core/malloc-settings.js';
import { runNodeJson } from './helpers';

const KiB = 1024;
const MiB = 1024 * KiB;
const settings = (...environ: string[]): MallocSettings => mallocSettings(environ, 2, 8);
const set = (value: number, source: MallocSetting['source'], setBy: string | null): MallocSetting => ({ value, source, setBy });

describe('allocator().settings', () => {
  it("reports glibc's defaults with the CPU count they derive from", () => {
    expect(settings()).toEqual({
      arenaMax: set(16, 'default', null),
      mmapThreshold: set(128 * KiB, 'default', null),
      trimThreshold: set(128 * KiB, 'default', null),
      topPad: set(128 * KiB, 'default', null),
      mmapMax: set(65536, 'default', null),
      dynamicMmapThreshold: true,
      cpuCount: 2,
      ignored: [],
    });
    expect(mallocSettings([], 3, 4).arenaMax.value).toBe(6); // 2 × cores on 32-bit
    expect(mallocSettings([], 0, 8).arenaMax.value).toBe(16); // glibc assumes 2 cores when it cannot tell
    const own = allocator().settings!;
    expect(own.cpuCount).toBeGreaterThanOrEqual(1);
    expect(own.arenaMax.value).toBe(8 * own.cpuCount);
  });

  it('takes each MALLOC_* variable, and the GLIBC_TUNABLES entry over it in either order', () => {
    const env = settings('MALLOC_ARENA_MAX=4', 'MALLOC_MMAP_THRESHOLD_=65536', 'MALLOC_TRIM_THRESHOLD_=1048576', 'MALLOC_TOP_PAD_=0', 'MALLOC_MMAP_MAX_=0');
    expect(env.arenaMax).toEqual(set(4, 'env', 'MALLOC_ARENA_MAX'));
    expect(env.mmapThreshold).toEqual(set(64 * KiB, 'env', 'MALLOC_MMAP_THRESHOLD_'));
    expect(env.trimThreshold).toEqual(set(MiB, 'env', 'MALLOC_TRIM_THRESHOLD_'));
    expect(env.topPad).toEqual(set(0, 'env', 'MALLOC_TOP_PAD_'));
    expect(env.mmapMax).toEqual(set(0, 'env', 'MALLOC_MMAP_MAX_'));
    expect(env.dynamicMmapThreshold).toBe(false);
    const tunable = set(2, 'tunable', 'glibc.malloc.arena_max');
    expect(settings('MALLOC_ARENA_MAX=4', 'GLIBC_TUNABLES=glibc.malloc.arena_max=2').arenaMax).toEqual(tunable);
    expect(settings('GLIBC_TUNABLES=glibc.malloc.arena_max=2', 'MALLOC_ARENA_MAX=4').arenaMax).toEqual(tunable);
    const many = settings('GLIBC_TUNABLES=glibc.malloc.top_pad=1:glibc.other.thing=3:glibc.malloc.arena_max=2:glibc.malloc.top_pad=7');
    expect(many.topPad).toEqual(set(7, 'tunable', 'glibc.malloc.top_pad'));
    expect(many.arenaMax.value).toBe(2);
  });

  it("reads values as glibc's _dl_strtoul does, and ignores what glibc ignores", () => {
    expect(settings('MALLOC_TOP_PAD_=0x1000').topPad.value).toBe(4096);
    expect(settings('MALLOC_TOP_PAD_=010').topPad.value).toBe(8);
    expect(settings('MALLOC_MMAP_THRESHOLD_=64M').mmapThreshold.value).toBe(64);
    expect(settings('MALLOC_TOP_PAD_=abc').topPad).toEqual(set(0, 'env', 'MALLOC_TOP_PAD_'));
    expect(settings('MALLOC_MMAP_MAX_=-1').mmapMax.value).toBe(-1);
    // arena_max below its minimum of 1: ignored, so the alias that follows applies.
    const zero = settings('GLIBC_TUNABLES=glibc.malloc.arena_max=0', 'MALLOC_ARENA_MAX=3');
    expect(zero.arenaMax).toEqual(set(3, 'env', 'MALLOC_ARENA_MAX'));
    expect(zero.ignored).toEqual(['glibc.malloc.arena_max=0 (out of range: glibc ignores it)']);
    // Unlike mallopt(), the environment may set an mmap threshold above 32 MiB.
    expect(settings('MALLOC_MMAP_THRESHOLD_=67108864').mmapThreshold.value).toBe(64 * MiB);
    // A size_t tunable above SIZE_MAX of a 32-bit process is out of range.
    expect(mallocSettings(['MALLOC_TOP_PAD_=0x100000000'], 2, 4).topPad.source).toBe('default');
  });

  it('rejoins GLIBC_TUNABLES, which glibc 2.36 splits with NULs in the start-up environment', () => {
    const text = 'A=1\0GLIBC_TUNABLES=glibc.malloc.arena_max=2\0glibc.malloc.top_pad=9\0B=2\0';
    expect(startupEnvironment(text)).toEqual(['A=1', 'GLIBC_TUNABLES=glibc.malloc.arena_max=2:glibc.malloc.top_pad=9', 'B=2']);
  });

  it('agrees with what malloc does: a 2 MB Buffer is mmapped or not as the reported mmap threshold says', async () => {
    const run = (env: NodeJS.ProcessEnv) =>
      runNodeJson<{ mmapped: boolean; mmapThreshold: MallocSetting; ignored: string[] }>(['test/fixtures/mmap-threshold.cjs'], { env });
    const byDefault = await run({});
    expect(byDefault).toMatchObject({ mmapped: true, mmapThreshold: set(128 * KiB, 'default', null) });
    const env = await run({ MALLOC_MMAP_THRESHOLD_: '0x400000' });
    expect(env).toMatchObject({ mmapped: false, mmapThreshold: set(4 * MiB, 'env', 'MALLOC_MMAP_THRESHOLD_') });
    const tunableWins = await run({ MALLOC_MMAP_THRESHOLD_: '4194304', GLIBC_TUNABLES: 'glibc.malloc.mmap_threshold=131072' });
    expect(tunableWins).toMatchObject({ mmapped: true, mmapThreshold: set(128 * KiB, 'tunable', 'glibc.malloc.mmap_threshold') });
    const above32MiB = await run({ GLIBC_TUNABLES: 'glibc.malloc.mmap_threshold=67108864' });
    expect(above32MiB).toMatchObject({ mmapped: false, mmapThreshold: set(64 * MiB, 'tunable', 'glibc.malloc.mmap_threshold') });

  });
});
