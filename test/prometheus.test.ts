import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as client from 'prom-client';
import { sample, trimSync } from 'mallinfo';
import { collectMallinfoMetrics } from 'mallinfo/prometheus';
import { glibcHeap, median, root, runNode, runNodeJson } from './helpers';

function promtool(text: string): { status: number | null; output: string } {
  const result = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  if (result.error) throw new Error(`promtool is missing (run .ci/run, which installs Debian's prometheus): ${result.error.message}`);
  return { status: result.status, output: (result.stdout + result.stderr).trim() };
}

function value(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(series + ' '));
  if (line === undefined) throw new Error(`no ${series} in scrape`);
  return Number(line.slice(series.length + 1));
}

const scratch = mkdtempSync(join(tmpdir(), 'mallinfo-prom-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('mallinfo/prometheus', () => {
  it('scrapes beside collectDefaultMetrics, and promtool finds no problem with its metrics', async () => {
    const register = new client.Registry();
    client.collectDefaultMetrics({ register });
    const metrics = collectMallinfoMetrics({ register });
    const full = await register.metrics();
    // prom-client's own defaults draw promtool lints (nodejs_active_handles_total is a gauge); ours draw none.
    expect(promtool(full).output).not.toMatch(/malloc/);
    const ours = full
      .split('\n')
      .filter((line) => /(^| )nodejs_malloc_/.test(line))
      .join('\n');
    expect(promtool(ours + '\n')).toEqual({ status: 0, output: '' });
    for (const name of metrics.names) expect(full).toContain(`# TYPE ${name} `);
    // No clash with the default metrics' names.
    expect(new Set(register.getMetricsAsArray().map((m) => m.name)).size).toBe(register.getMetricsAsArray().length);
  });

  it('reports values that agree with sample() taken around the scrape', async () => {
    const register = new client.Registry();
    collectMallinfoMetrics({ register });
    const hold = Buffer.alloc(16 * 1024 * 1024, 1);
    const before = glibcHeap(sample());
    const text = await register.metrics();
    const after = glibcHeap(sample());
    const slack = 256 * 1024;
    for (const [state, field] of [['in_use', 'inUse'], ['free', 'free'], ['mapped', 'mapped'], ['mmapped', 'mmapped']] as const) {
      const v = value(text, `nodejs_malloc_bytes{state="${state}"}`);
      expect(v, state).toBeGreaterThanOrEqual(Math.min(before[field], after[field]) - slack);
      expect(v, state).toBeLessThanOrEqual(Math.max(before[field], after[field]) + slack);
    }
    expect(value(text, 'nodejs_malloc_arenas')).toBeGreaterThanOrEqual(1);
    expect(value(text, 'nodejs_malloc_sample_duration_seconds')).toBeGreaterThan(0);
    expect(value(text, 'nodejs_malloc_sample_duration_seconds')).toBeLessThan(1);
    expect(text).toMatch(/nodejs_malloc_info\{allocator="glibc",version="\d+\.\d+"\} 1/);
    expect(hold.length).toBeGreaterThan(0);
  });

  it('counts trims and the bytes they released', async () => {
    const register = new client.Registry();
    collectMallinfoMetrics({ register });
    const text0 = await register.metrics();
    const result = trimSync();
    const text1 = await register.metrics();
    expect(value(text1, 'nodejs_malloc_trims_total') - value(text0, 'nodejs_malloc_trims_total')).toBe(1);
    const releasedDelta =
      value(text1, 'nodejs_malloc_trim_released_bytes_total') - value(text0, 'nodejs_malloc_trim_released_bytes_total');
    expect(releasedDelta).toBe(Math.max(0, result.released!));
  });

  it('takes one allocator reading per scrape, shared by every gauge', async () => {
    const { perScrape } = await runNodeJson<{ perScrape: number[] }>(['test/fixtures/samples-per-scrape.cjs']);
    expect(perScrape).toEqual([1, 1, 1, 1, 1]);
  });

  it('exports the arena count malloc_info gives, and sees arenas that threads add', async () => {
    // Eight threadpool threads each get an arena of their own on a 2-core
    // machine (glibc's limit is 8 per core).
    const { before, after } = await runNodeJson<{
      before: { exported: number; again: number; malloc_info: number };
      after: { exported: number; malloc_info: number };
    }>(['test/fixtures/scrape-arenas.cjs'], { env: { ...process.env, UV_THREADPOOL_SIZE: '8' } });
    expect(before.exported).toBe(before.malloc_info);
    expect(before.again).toBe(before.exported);
    expect(after.exported).toBe(after.malloc_info);
    expect(after.exported).toBeGreaterThan(before.exported);
  });

  it('applies prefix and static labels, and unregisters', async () => {
    const register = new client.Registry();
    const metrics = collectMallinfoMetrics({ register, prefix: 'app_', labels: { service: 'api' } });
    const text = await register.metrics();
    expect(text).toMatch(/^app_nodejs_malloc_bytes\{service="api",state="in_use"\} \d+$/m);
    expect(text).toMatch(/^app_nodejs_malloc_arenas\{service="api"\} \d+$/m);
    expect(() => collectMallinfoMetrics({ register, prefix: 'app_' })).toThrow(/already registered/);
    metrics.unregister();
    expect(await register.metrics()).not.toContain('malloc');
    collectMallinfoMetrics({ register, prefix: 'app_' });
  });

  it.each([
    [{ register: {} }, TypeError, 'options.register'],
    [{ prefix: 5 }, TypeError, 'options.prefix'],
    [{ prefix: 'bad-prefix' }, RangeError, 'options.prefix'],
    [{ labels: 'x' }, TypeError, 'options.labels'],
    [{ labels: { state: 'x' } }, RangeError, 'options.labels.state'],
    [{ labels: { 'bad-name': 'x' } }, RangeError, 'options.labels.bad-name'],
    [{ labels: { service: 5 } }, TypeError, 'options.labels.service'],
    [{ registry: new client.Registry() }, TypeError, 'options.registry'],
  ])('rejects %o with a %o naming the option', (options, type, name) => {
    expect(() => collectMallinfoMetrics(options as never)).toThrow(type);
    expect(() => collectMallinfoMetrics(options as never)).toThrow(name);
  });

  it('10,000 scrapes cause no growth of native in-use memory', async () => {
    const { deltas } = await runNodeJson<{ deltas: number[] }>(['test/fixtures/scrape-growth.cjs']);
    // The smallest malloc chunk is 32 bytes: one kept per scrape would show as
    // 320 KB. The bound leaves room for V8's own helper threads.
    expect(Math.abs(median(deltas))).toBeLessThan(64 * 1024);
  });

  it('without prom-client installed, importing mallinfo/prometheus names the missing package', async () => {
    // A copy of the package in a project that has only its runtime dependencies.
    const project = join(scratch, 'app');
    const pkg = join(project, 'node_modules', 'mallinfo');
    mkdirSync(pkg, { recursive: true });
    for (const entry of ['package.json', 'lib', 'build/Release/mallinfo.node']) cpSync(join(root, entry), join(pkg, entry), { recursive: true });
    cpSync(join(root, 'node_modules', 'node-gyp-build'), join(project, 'node_modules', 'node-gyp-build'), { recursive: true });
    const attempt = (entry: string) =>
      runNode(['-e', `try { require(${JSON.stringify(entry)}); console.log('loaded') } catch (e) { console.log(e.message) }`], {
        env: { NODE_PATH: '' },
        cwd: project,
      }).then((r) => r.stdout.trim());
    expect(await attempt('mallinfo/prometheus')).toBe(
        'mallinfo/prometheus needs the optional peer dependency prom-client, which is not installed: npm install prom-client',
      );
    expect(await attempt('mallinfo/opentelemetry')).toMatch(/needs the optional peer dependency @opentelemetry\/api/);
    expect(await attempt('mallinfo')).toBe('loaded');
  });
});
