// Attribution of memory kept by JavaScript: scenarios with known causes,
// named as the top entry by the in-process API and by `mallinfo run --attribute`.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HeapAttribution, analyzeFiles, attributionLines } from '../lib/attribution.js';
import { parseCli, UsageError } from '../lib/cli/args.js';
import { runCli, scratchDir } from './cli-helpers';

/** Whether the watched programs' heap snapshots name where functions are defined (Node 20; not from Node 22 on). */
const LOCATED = Number(process.versions.node.split('.')[0]) < 22;
import { root } from './helpers';

const fixtures = join(root, 'test', 'fixtures', 'attribution');

/** The "what grew" section of the CLI's summary, from its first line. */
function whatGrew(stderr: string): string[] {
  const lines = stderr.split('\n');
  const at = lines.findIndex((l) => l.startsWith('what grew'));
  expect(at, stderr).toBeGreaterThanOrEqual(0);
  return lines.slice(at);
}

// Module scope, so that it is older than the baseline and reached by name.
const kept: Uint8Array[] = [];

describe('HeapAttribution (in process)', () => {
  it('attributes ArrayBuffer memory kept through typed-array views to the array that keeps the views', () => {
    const attribution = HeapAttribution.start();
    try {
      for (let i = 0; i < 300; i++) kept.push(new Uint8Array(new ArrayBuffer(64 * 1024)).subarray(0, 4));
      const report = attribution.report();
      const top = report.groups[0];
      expect(top.what).toBe('ArrayBuffer');
      // One may be reached first by another path (the last one made, from the stack): all but a few here.
      expect(top.count).toBeGreaterThanOrEqual(295);
      expect(top.count).toBeLessThanOrEqual(300);
      // The backing stores are the bytes: 64 KiB each, counted with the ArrayBuffers.
      expect(top.nativeBytes).toBe(top.count * 64 * 1024);
      expect(top.bytes).toBeGreaterThan(top.nativeBytes);
      expect(top.keptBy?.name).toBe('Array');
      expect(top.path.at(-1)?.name).toBe('ArrayBuffer');
      expect(report.added.nativeBytes).toBeGreaterThanOrEqual(300 * 64 * 1024);
      expect(attributionLines(report)[1]).toMatch(/^ {2}\d+\.\d MB in (29\d|300) ArrayBuffer \(18\.\d MB of it ArrayBuffer memory\) kept by `\S+` \(Array\)/);
    } finally {
      attribution.stop();
      kept.length = 0;
    }
  });

  it('reports nothing of its own: no growth between two reports with nothing allocated', () => {
    const attribution = HeapAttribution.start();
    try {
      const report = attribution.report();
      // What V8 itself adds (compiled code, feedback) stays small; no group of the analysis's own state.
      expect(report.added.bytes).toBeLessThan(2 * 1024 * 1024);
      expect(report.groups.some((g) => /HeapGraph|Uint32Array/.test(g.what))).toBe(false);
    } finally {
      attribution.stop();
    }
  });

  it('samples for one attribution at a time, and says so; a stopped one refuses to report', () => {
    const first = HeapAttribution.start({ maxGroups: 1 });
    try {
      expect(() => HeapAttribution.start()).toThrow(/already running for another attribution/);
      // Without sampling, a second one can run beside it.
      HeapAttribution.start({ samplingIntervalBytes: 0, maxGroups: 1 }).stop();
      expect(first.report().allocations).toBeDefined();
    } finally {
      first.stop();
    }
    first.stop();
    expect(() => first.report()).toThrow(/was stopped/);
    HeapAttribution.start({ maxGroups: 1 }).stop();
  });

  it('refuses files that are not heap snapshots, naming what is wrong', () => {
    const dir = scratchDir();
    const notSnapshot = join(dir, 'a.heapsnapshot');
    writeFileSync(notSnapshot, '{"hello": 1}');
    expect(() => analyzeFiles({ baselineSnapshot: notSnapshot, finalSnapshot: notSnapshot })).toThrow(/not a V8 heap snapshot/);
    expect(() => analyzeFiles({ baselineSnapshot: join(dir, 'missing'), finalSnapshot: notSnapshot })).toThrow(/ENOENT/);
  });

  it('checks its options', () => {
    expect(() => HeapAttribution.start({ samplingIntervalBytes: -1 })).toThrow(RangeError);
    expect(() => HeapAttribution.start({ maxGroups: 'all' as unknown as number })).toThrow(/options.maxGroups must be a number/);
    expect(() => HeapAttribution.start({ colour: true } as never)).toThrow(TypeError);
  });
});

describe('mallinfo run --attribute', () => {
  it('names closures kept in an array, where they are defined and what keeps them (V8 heap)', async () => {
    const html = join(scratchDir(), 'report.html');
    const r = await runCli(['run', '--quiet', '--attribute', '--attribute-baseline', '300ms', '--html', html, '--', 'node', 'closures.cjs'], { cwd: fixtures });
    expect(r.code).toBe(0);
    const lines = whatGrew(r.stderr);
    // The HTML report has the same section.
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('<section class="card" id="what-grew"><h2>What grew</h2><pre>what grew: ');
    expect(page).toContain(lines[1].replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
    if (!LOCATED) {
      // From Node 22 on, v8.writeHeapSnapshot() leaves out where functions are defined: what and who keeps it remain.
      expect(lines[1]).toMatch(/^ {2}\S+ [KM]B in [\d,]+ closure \(anonymous\).* kept by `kept` \(Array\)/);
      return;
    }
    expect(lines[1]).toMatch(/^ {2}\S+ [KM]B in [\d,]+ closure \(anonymous\) closures\.cjs:6 kept by `kept` \(Array\) ← onTimeout closures\.cjs:3$/);
    expect(lines[2]).toMatch(/path: .*kept → Array · \[\d+\] → \(closure\) \(closures\.cjs:6\)$/);
    // The sampling profiler's stack of what is still alive names the allocating function.
    const allocated = lines.slice(lines.findIndex((l) => l.includes('allocated at')) + 1);
    expect(allocated[0]).toMatch(/onTimeout closures\.cjs:[3-6]$/);
  });

  it('attributes ArrayBuffers kept through typed-array views to the JS that keeps them (native memory via JS)', async () => {
    const dir = scratchDir();
    const r = await runCli(
      ['run', '--quiet', '--attribute', '--attribute-baseline', '300ms', '--pprof', join(dir, 'grew.pb.gz'), '--', 'node', 'typed-views.cjs'],
      { cwd: fixtures },
    );
    expect(r.code).toBe(0);
    const lines = whatGrew(r.stderr);
    const holder = LOCATED ? ' ← onTimeout typed-views\\.cjs:4' : '.*';
    const top = new RegExp(`^ {2}\\S+ [KM]B in ([\\d,]+) ArrayBuffer \\((\\d+\\.\\d) ([KM]B) of it ArrayBuffer memory\\) kept by \`kept\` \\(Array\\)${holder}$`).exec(lines[1]);
    expect(top, lines[1]).not.toBeNull();
    // Each of them is 64 KiB of backing store (how many depends on how often the loaded machine ran the timer).
    const count = Number(top![1].replace(/,/g, ''));
    const nativeKiB = Number(top![2]) * (top![3] === 'MB' ? 1024 : 1);
    // Printed to 0.1 of its unit: within that rounding of 64 KiB each.
    const roundingKiB = top![3] === 'MB' ? 0.05 * 1024 : 0.05;
    expect(Math.abs(nativeKiB - count * 64)).toBeLessThanOrEqual(roundingKiB + 0.01); // + float error at a tie
    expect(r.stderr).toContain(`pprof:   ${join(dir, 'grew.pb.gz')}`);
  });

  it('says why there is nothing to attribute when the command ends before its baseline', async () => {
    const r = await runCli(['run', '--quiet', '--attribute', '--attribute-baseline', '10s', '--', 'node', '-e', '0'], { cwd: fixtures });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/what grew: pid \d+ ended before its baseline snapshot/);
  });
});

describe('--attribute options', () => {
  const run = (...options: string[]) => {
    const cli = parseCli(['run', ...options, '--', 'node', 'app.js']);
    if (cli.kind !== 'run') throw new Error('expected run');
    return cli.run;
  };

  it('takes no snapshot unless asked; --pprof and --attribute-native imply --attribute', () => {
    expect(run().attributeBaselineMs).toBeNull();
    expect(run('--attribute').attributeBaselineMs).toBe(1000);
    expect(run('--attribute-baseline', '2.5s').attributeBaselineMs).toBe(2500);
    expect(run('--pprof', 'grew.pb.gz')).toMatchObject({ attributeBaselineMs: 1000, pprof: 'grew.pb.gz', attributeNative: false });
    expect(run('--pprof-native', 'n.pb.gz')).toMatchObject({ attributeBaselineMs: 1000, attributeNative: true, pprofNative: 'n.pb.gz' });
  });

  it('refuses an empty file name and a baseline without its unit', () => {
    expect(() => run('--pprof', '')).toThrow(UsageError);
    expect(() => run('--pprof-native', '')).toThrow(/--pprof-native needs a file name/);
    expect(() => run('--attribute-baseline', '5')).toThrow(/^--attribute-baseline must be a duration/);
  });
});
