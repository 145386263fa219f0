// Native memory that JS does not see, named by jemalloc's heap profiler
// under `mallinfo run --attribute-native`: zlib streams never ended, and an
// addon (built here from test/fixtures) that mallocs and never frees.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseRecord } from '../lib/cli/records.js';
import { parseJemallocProfile } from '../lib/attribution/jemalloc-profile.js';
import { runCli, scratchDir } from './cli-helpers';
import { root } from './helpers';
import { decodedFlat, goPprofTop } from './pprof-consumers';
import { preloadPath } from './preload';

const fixtures = join(root, 'test', 'fixtures', 'attribution');

/** The native section of the summary: its header line, then one line per stack. */
function nativeSection(stderr: string): string[] {
  const lines = stderr.split('\n');
  const at = lines.findIndex((l) => l.startsWith('native memory that grew'));
  expect(at, stderr).toBeGreaterThanOrEqual(0);
  return lines.slice(at);
}

async function attributeNative(args: string[], pprof: string): Promise<string[]> {
  const r = await runCli(
    ['run', '--quiet', '--attribute-native', '--attribute-baseline', '300ms', '--pprof-native', pprof, '--', 'node', ...args],
    { cwd: fixtures, timeoutMs: 60_000 },
  );
  expect(r.code, r.stderr).toBe(0);
  return nativeSection(r.stderr);
}

describe('mallinfo run --attribute-native', () => {
  let addon: string;

  beforeAll(() => {
    preloadPath('jemalloc'); // fails with what to install when libjemalloc2 is missing
    // The fixture addon, built as a user's would be (npm's nodedir setting, if any, as npm passes it).
    const dir = join(scratchDir(), 'leaky-addon');
    cpSync(join(fixtures, 'leaky-addon'), dir, { recursive: true });
    const nodedir = spawnSync('npm', ['config', 'get', 'nodedir'], { encoding: 'utf8' }).stdout.trim();
    execFileSync(join(root, 'node_modules', '.bin', 'node-gyp'), ['rebuild'], {
      cwd: dir,
      env: { ...process.env, ...(nodedir && nodedir !== 'undefined' && nodedir !== 'null' ? { npm_config_nodedir: nodedir } : {}) },
      stdio: 'ignore',
    });
    addon = join(dir, 'build', 'Release', 'leaky.node');
  }, 120_000);

  it('names zlib deflate streams never ended: the top stack is deflateInit2_, in go tool pprof too', async () => {
    const pprof = join(scratchDir(), 'zlib.pb.gz');
    const lines = await attributeNative(['zlib-streams.cjs'], pprof);
    // About 256 KiB of zlib state a stream, 5 streams every 20 ms from 0.3 s to 2 s.
    expect(lines[1]).toMatch(/^ {2}\d+\.\d MB in ~[\d,]+ allocations: \S*AllocForZlib ← deflateInit2_ ← \S*InitZlib/);
    const decoded = decodedFlat(pprof, 'space');
    expect(decoded[0].name).toMatch(/AllocForZlib$/);
    expect(goPprofTop(pprof, 'space').name).toBe(decoded[0].name);
  });

  it('names an addon that mallocs and never frees: its function and its .node file', async () => {
    const pprof = join(scratchDir(), 'addon.pb.gz');
    const lines = await attributeNative(['leaky-addon.cjs', addon], pprof);
    const top = /^ {2}(\d+\.\d) MB in ~[\d,]+ allocations: LeakyRemember ← Leak ← .* \(leaky\.node\)$/.exec(lines[1]);
    expect(top, lines.join('\n')).not.toBeNull();
    // 640 KiB every 20 ms for about 1.7 s: tens of MB, estimated from 128 KiB samples.
    expect(Number(top![1])).toBeGreaterThan(2); // fewer timer turns on a loaded machine
    expect(decodedFlat(pprof, 'space')[0].name).toBe('LeakyRemember');
    expect(goPprofTop(pprof, 'space').name).toBe('LeakyRemember');
  });
});

describe('jemalloc heap profiles', () => {
  it('scales sampled counts back as jeprof does, and refuses what is not a heap_v2 profile', () => {
    const text = ['heap_v2/131072', '  t*: 2: 262144 [0: 0]', '@ 0x10 0x20', '  t*: 2: 262144 [0: 0]', '  t0: 2: 262144 [0: 0]', '', 'MAPPED_LIBRARIES:', '00400000-00500000 r-xp 00000000 fe:00 1 /usr/bin/node', ''].join('\n');
    const profile = parseJemallocProfile(text);
    const stack = [...profile.stacks.values()][0];
    expect(stack.addresses).toEqual([0x10n, 0x20n]);
    // Objects of 128 KiB sampled at a 128 KiB period: each sample stands for 1 / (1 - e^-1) objects.
    expect(stack.bytes).toBeCloseTo(262144 / (1 - Math.exp(-1)), 3);
    expect(profile.mappings).toEqual([{ start: 0x400000n, end: 0x500000n, offset: 0n, executable: true, path: '/usr/bin/node' }]);
    expect(() => parseJemallocProfile('heap_v1\n')).toThrow(TypeError);
  });

  it('the CLI accepts samples taken under jemalloc, whose heap.mmapped is null (they were dropped as invalid before)', () => {
    const sample = { time: 1, costNs: 1, heap: { inUse: 1, free: 0, mapped: 1, mmapped: null, exact: true }, process: null, v8: { total: 1, used: 1, physical: 1, external: 0, malloced: 1, limit: 1 } };
    expect(parseRecord(JSON.stringify({ type: 'sample', pid: 1, sample }))?.type).toBe('sample');
  });
});
