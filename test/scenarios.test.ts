// Every scenario in examples/scenarios: a real workload in its own process,
// sampled by the real Sampler; the test reads the JSON line each prints with
// --json and checks the verdict and the evidence behind it.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Diagnosis, Verdict } from 'mallinfo';
import { MiB } from './helpers';

interface ScenarioResult {
  name: string;
  expected: Verdict;
  verdict: Verdict;
  confidence: number;
  verdictAfterMs: number;
  runMs: number;
  changes: { atMs: number; from: Verdict; to: Verdict }[];
  marks: { label: string; atMs: number }[];
  summary: string;
  evidence: Diagnosis['evidence'];
  advice: string[];
}

interface Runner {
  scenarioNames(): string[];
  runScenarios(names: string[], parallel: number): Promise<ScenarioResult[]>;
}

const results = new Map<string, ScenarioResult>();
const runner = (await import('../examples/scenarios/index.mjs')) as Runner;
const names = runner.scenarioNames();

beforeAll(async () => {
  // Three at a time: four of them hold ~550 MB each, and the machine has two cores.
  const all = await runner.runScenarios(names, 3);
  for (const r of all) results.set(r.name, r);
  console.log(
    all
      .map((r) => `${r.name.padEnd(26)} ${r.verdict.padEnd(17)} confidence ${r.confidence.toFixed(2)}  verdict after ${(r.verdictAfterMs / 1000).toFixed(1)} s`)
      .join('\n'),
  );
}, 240_000);

function result(name: string): ScenarioResult {
  const r = results.get(name);
  if (r === undefined) throw new Error(`scenario ${name} did not run`);
  return r;
}

describe('scenarios', () => {
  it('covers the issue’s seven and more', () => {
    expect(names).toEqual(
      expect.arrayContaining([
        'story-fragmentation',
        'buffer-leak',
        'map-leak',
        'nothing-kept',
        'idle',
        'slow-leak-under-sawtooth',
        'few-samples',
        'trims',
        'leak-and-fragmentation',
        'story-mmap-threshold',
        'sawtooth',
        'requests',
        'mimalloc-leak',
      ]),
    );
  });

  it.each(names)('%s gives its expected verdict, and holds it to the end', (name) => {
    const r = result(name);
    expect(r.verdict).toBe(r.expected);
    expect(r.confidence).toBeGreaterThanOrEqual(r.verdict === 'insufficient-data' ? 0 : 0.5);
    expect(r.confidence).toBeLessThanOrEqual(1);
    expect(r.verdictAfterMs).toBeLessThanOrEqual(r.runMs);
    if (r.changes.length > 0) expect(r.changes[r.changes.length - 1].to).toBe(r.verdict);
  });

  it('the story: in-use returns to its floor while glibc keeps ~480 MB resident', () => {
    for (const name of ['story-fragmentation', 'nothing-kept']) {
      const e = result(name).evidence;
      expect(e.unexplained!.atFloor).toBeGreaterThan(300 * MiB);
      expect(e.unexplained!.shareOfResident).toBeGreaterThan(0.8);
      expect(e.inUse!.floor.end).toBeLessThan(30 * MiB);
      expect(Math.abs(e.inUse!.floor.growth)).toBeLessThan(MiB);
      expect(e.inUse!.max).toBeGreaterThan(400 * MiB); // the bursts were seen
      expect(result(name).advice[0]).toMatch(/^A trim would give back about [1-9]\d\d\.\d MB now/);
    }
  });

  it('the story under MALLOC_MMAP_THRESHOLD_=32768: RSS climbs and comes back', () => {
    const e = result('story-mmap-threshold').evidence;
    expect(e.resident!.max).toBeGreaterThan(300 * MiB);
    expect(e.unexplained!.atFloor).toBeLessThan(32 * MiB);
  });

  it('trims do not flip fragmentation', () => {
    const r = result('trims');
    expect(r.marks).toHaveLength(2);
    const reached = r.changes.findIndex((c) => c.to === 'fragmentation');
    expect(reached).toBeGreaterThanOrEqual(0);
    expect(r.changes.slice(reached + 1)).toEqual([]);
    expect(r.changes[reached].atMs).toBeLessThan(r.marks[0].atMs);
    expect(r.evidence.trims).toBeGreaterThanOrEqual(1);
    expect(r.evidence.unexplained!.beforeTrim).toBe(true);
  });

  it('a leak and fragmentation: the leak is the verdict, fragmentation secondary', () => {
    const r = result('leak-and-fragmentation');
    expect(r.evidence.secondary.map((f) => f.kind)).toContain('fragmentation');
    expect(r.evidence.inUse!.floor.growth).toBeGreaterThan(20 * MiB);
  });

  it('Buffers kept: in-use rises with V8 external memory, and the advice says JS holds them', () => {
    const r = result('buffer-leak');
    expect(r.evidence.inUse!.floor.slope).toBeGreaterThan(MiB);
    expect(r.evidence.v8External!.floor.slope).toBeGreaterThan(0.5 * r.evidence.inUse!.floor.slope);
    expect(r.advice.join(' ')).toMatch(/JavaScript objects hold the leaked memory/);
  });

  it('JS objects kept: V8’s floor after full collections rises, in-use does not', () => {
    const e = result('map-leak').evidence;
    expect(e.v8Used!.floor.method).toBe('full-gcs');
    expect(e.fullGcs).toBeGreaterThanOrEqual(6);
    // The Map gains ~2 MB a second for several seconds; how much depends on how fast this machine runs it.
    expect(e.v8Used!.floor.growth).toBeGreaterThan(5 * MiB);
    // Newer V8s malloc a little for their own bookkeeping as the heap grows: far less than the JS heap grows.
    expect(Math.abs(e.inUse!.floor.growth)).toBeLessThan(e.v8Used!.floor.growth / 4);
  });

  it('requests that keep nothing: V8 creeps between full collections, its floor does not', () => {
    const e = result('requests').evidence;
    expect(e.v8Used!.floor.method).toBe('full-gcs');
    expect(e.v8Used!.max - e.v8Used!.min).toBeGreaterThan(MiB);
    expect(Math.abs(e.v8Used!.floor.growth)).toBeLessThan(MiB);
  });

  it('a slow leak under a large sawtooth: 10 MB of floor under 120–280 MB swings', () => {
    const e = result('slow-leak-under-sawtooth').evidence;
    expect(e.inUse!.max - e.inUse!.min).toBeGreaterThan(100 * MiB);
    expect(e.inUse!.floor.growth).toBeGreaterThan(4 * MiB);
    expect(e.inUse!.floor.growth).toBeLessThan(12 * MiB);
    const control = result('sawtooth').evidence;
    expect(control.inUse!.max - control.inUse!.min).toBeGreaterThan(100 * MiB);
    expect(Math.abs(control.inUse!.floor.growth)).toBeLessThan(MiB);
  });

  it('idle, few samples, an allocator without statistics', () => {
    expect(result('idle').confidence).toBeGreaterThan(0.8);
    expect(result('few-samples').evidence.window.samples).toBeLessThan(20);
    const mimalloc = result('mimalloc-leak');
    expect(mimalloc.evidence.heapStats).toBe(false);
    expect(mimalloc.confidence).toBeLessThanOrEqual(0.75);
    expect(mimalloc.evidence.notes[0]).toMatch(/^No allocator statistics/);
  });
});
