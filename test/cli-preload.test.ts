// The preload in every kind of Node program `mallinfo run` may start:
// CommonJS and ES modules, with the user's own NODE_OPTIONS, through
// npm → sh → node, with worker threads, installed under a path with spaces.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { quoteNodeOption } from '../src/cli/preload-env';
import { firstJsonLine, fixture, lastJsonLine, readRecords, runCli, scratchDir } from './cli-helpers';
import { MiB, root } from './helpers';
import { preloadPath } from './preload';

const dir = scratchDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Hello {
  pid: number;
  module: string;
  userPreload: boolean;
}

describe('the preload (mallinfo/register)', () => {
  it.each(['hello.cjs', 'hello.mjs'])('samples %s and keeps the NODE_OPTIONS the user had', async (program) => {
    const result = await runCli(['run', '--quiet', '--json', '--interval', '50ms', '--', 'node', fixture(program)], {
      env: { NODE_OPTIONS: `--require ${quoteNodeOption(fixture('user-preload.cjs'))} --max-old-space-size=300` },
    });
    expect(result.code).toBe(0);
    const hello = firstJsonLine<Hello>(result.stdout);
    expect(hello.userPreload).toBe(true);
    expect(hello.module).toBe(program.endsWith('.cjs') ? 'function' : 'undefined');
    const summary = lastJsonLine(result.stdout);
    expect(summary.primary.pid).toBe(hello.pid);
    expect(summary.primary.samples).toBeGreaterThanOrEqual(2);
  });

  it('quotes the preload path so that Node reads a path with spaces, quotes and backslashes back', () => {
    const odd = join(dir, 'a "quoted" dir\\with spaces');
    mkdirSync(odd, { recursive: true });
    writeFileSync(join(odd, 'p.cjs'), 'console.log("preloaded:" + __filename)');
    const out = spawnSync(process.execPath, ['-e', '0'], {
      env: { ...process.env, NODE_OPTIONS: `--require ${quoteNodeOption(join(odd, 'p.cjs'))}` },
      encoding: 'utf8',
    });
    expect(out.stderr).toBe('');
    expect(out.stdout.trim()).toBe(`preloaded:${join(odd, 'p.cjs')}`);
  });

  it('works when mallinfo itself is installed under a path with spaces and quotes', async () => {
    const pkg = join(dir, 'node modules "x"', 'mallinfo');
    mkdirSync(pkg, { recursive: true });
    for (const entry of ['package.json', 'lib', 'assets']) cpSync(join(root, entry), join(pkg, entry), { recursive: true });
    for (const entry of ['node_modules', 'build']) symlinkSync(join(root, entry), join(pkg, entry));
    const result = await runCli(['run', '--quiet', '--json', '--interval', '50ms', '--', 'node', fixture('hello.cjs')], {
      cli: join(pkg, 'lib', 'cli', 'main.js'),
    });
    expect(result.stderr).toBe('');
    expect(lastJsonLine(result.stdout).primary.pid).toBe(firstJsonLine<Hello>(result.stdout).pid);
  });

  it('reaches the program through npm start → sh → node, and sums up the program, not npm', async () => {
    const app = join(dir, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, scripts: { start: `node ${JSON.stringify(fixture('leak.mjs'))}` } }));
    const ndjson = join(dir, 'npm.ndjson');
    const result = await runCli(['run', '--quiet', '--json', '--interval', '100ms', '--ndjson', ndjson, '--', 'npm', 'start', '--silent'], {
      cwd: app,
      env: { DURATION_MS: '1000' },
    });
    expect(result.code).toBe(0);
    const { pid } = firstJsonLine<{ pid: number }>(result.stdout);
    const processes = readRecords(ndjson).filter((r) => r.type === 'process');
    const npm = processes.find((p) => /\/npm(-cli\.js)?$/.test(p.argv[1]));
    const program = processes.find((p) => p.pid === pid);
    expect(npm).toBeDefined();
    expect(program).toBeDefined();
    // npm → sh → node: the program is npm's grandchild.
    expect(program!.ppid).not.toBe(npm!.pid);
    const summary = lastJsonLine(result.stdout);
    expect(summary.primary.pid).toBe(pid);
    expect(summary.processes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ pid: npm!.pid, launcher: true, primary: false }),
        expect.objectContaining({ pid, launcher: false, primary: true }),
      ]),
    );
  });

  it('--auto-trim trims in the watched process, and the samples show RSS fall by what the trim says', async () => {
    const ndjson = join(dir, 'trim.ndjson');
    const result = await runCli(['run', '--quiet', '--auto-trim', '--interval', '100ms', '--ndjson', ndjson, '--', 'node', fixture('fragmentation.mjs')], {
      // One round, then quiet: nothing allocates around the trim, whenever the samples let it fire.
      env: { ROUNDS: '1', PAUSE_MS: '600', QUIET_MS: '1200' },
    });
    expect(result.code).toBe(0);
    const records = readRecords(ndjson);
    const trims = records.filter((r) => r.type === 'trim');
    // glibc keeps ~480 MB of freed memory after a round; the default autoTrim waits 60 s between trims.
    expect(trims).toHaveLength(1);
    const trim = trims[0];
    // It fires on the first sample with 64 MiB or more free (the default minFreeBytes), which on a loaded machine
    // can land while V8's sweeper is still freeing the round's Buffers (CI, 2026-12-07: 171 MB of ~480 MB).
    expect(trim.released).toBeGreaterThan(32 * MiB);
    expect(trim.released).toBe(trim.rssBefore - trim.rssAfter);
    // Independently, from the samples around it: the one that set it off (its free bytes are the trim's freeBefore;
    // the trim runs off the main thread and its event comes later, so samples by time alone may fall after it) and
    // the first after its event. The program only frees meanwhile, which moves no RSS.
    const samples = records.filter((r) => r.type === 'sample').map((r) => r.sample);
    const before = samples.filter((x) => x.time <= trim.time && x.heap.free === trim.freeBefore).at(-1)!;
    const after = samples.find((x) => x.time > trim.time)!;
    expect(before.process.resident - after.process.resident).toBeGreaterThan(0.9 * trim.released);
    expect(records[0]).toMatchObject({ type: 'run', autoTrim: true });
  });

  it('samples under an allocator that cannot trim, and says that --auto-trim is off there (mimalloc)', async () => {
    const result = await runCli(['run', '--auto-trim', '--json', '--interval', '50ms', '--', 'node', fixture('hello.cjs')], {
      env: { LD_PRELOAD: preloadPath('mimalloc') },
    });
    expect(result.code).toBe(0);
    const { pid } = firstJsonLine<Hello>(result.stdout);
    const summary = lastJsonLine(result.stdout);
    expect(summary.primary).toMatchObject({ pid, allocator: { kind: 'unknown', trim: false } });
    expect(summary.primary.samples).toBeGreaterThanOrEqual(2);
    expect(summary.processes[0].warning).toMatch(/^--auto-trim is off here: options\.autoTrim is not supported with this process.s allocator \(unknown\)/);
    expect(summary.series.inUse.final).toBeNull(); // no allocator statistics: null, never 0
    expect(summary.series.resident.final).toBeGreaterThan(0);
  });

  it('leaves the program unharmed when the preload cannot sample (no native build) or cannot connect', async () => {
    // PREBUILDS_ONLY=1 without a prebuild: node-gyp-build finds no addon in the command's process (env sets it there only).
    const result = await runCli(['run', '--quiet', '--json', '--', 'env', 'PREBUILDS_ONLY=1', 'node', fixture('hello.cjs')]);
    expect(result.code).toBe(0);
    const { pid } = firstJsonLine<Hello>(result.stdout);
    const summary = lastJsonLine(result.stdout);
    expect(summary.primary).toBeNull();
    expect(summary.processes).toEqual([expect.objectContaining({ pid, samples: 0, error: expect.stringMatching(/No native build was found/) })]);
    // No CLI at the other end of the channel: the program runs as if nothing were there.
    const alone = spawnSync(process.execPath, ['-r', join(root, 'lib', 'register.js'), fixture('hello.cjs')], {
      env: { ...process.env, MALLINFO_CHANNEL: join(dir, 'nobody-listens.sock') },
      encoding: 'utf8',
    });
    expect(alone.status).toBe(0);
    expect(alone.stderr).toBe('');
    expect(JSON.parse(alone.stdout).pid).toBe(alone.pid);
  });

  it('does nothing at all without MALLINFO_CHANNEL: no addon loaded, no handle', () => {
    const out = spawnSync(
      process.execPath,
      ['-r', 'mallinfo/register', '-e', "console.log(JSON.stringify({ addon: require('fs').readFileSync('/proc/self/maps', 'latin1').includes('mallinfo.node'), handles: process._getActiveHandles().length }))"],
      { cwd: root, env: { ...process.env, MALLINFO_CHANNEL: '' }, encoding: 'utf8' },
    );
    expect(out.stderr).toBe('');
    expect(JSON.parse(out.stdout)).toEqual({ addon: false, handles: 0 });
  });

  it('covers worker threads with the one sampler of their process', async () => {
    const ndjson = join(dir, 'workers.ndjson');
    const result = await runCli(['run', '--quiet', '--json', '--interval', '50ms', '--ndjson', ndjson, '--', 'node', fixture('workers.mjs')]);
    expect(result.code).toBe(0);
    const { pid, workers } = firstJsonLine<{ pid: number; workers: number }>(result.stdout);
    // Workers load the preload too (NODE_OPTIONS), but only the main thread samples and connects.
    expect(readRecords(ndjson).filter((r) => r.type === 'process').map((p) => p.pid)).toEqual([pid]);
    const { series } = lastJsonLine(result.stdout);
    // Each worker keeps 800 × 50 KB; the process-wide allocator sees all of it.
    expect(series.inUse.peak - series.inUse.first).toBeGreaterThan(workers * 800 * 50_000 * 0.9);
    expect(series.inUse.peak).toBeGreaterThan(70 * MiB);
  });
});
