// Sampler#diagnose and the verdict event, on this process's real samples
// and real garbage collections.
import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { Sampler, type Diagnosis, type Verdict } from 'mallinfo';
import { getGc } from '../lib/testing/gc.js';
import { runNode } from './helpers';

describe('Sampler#diagnose', () => {
  it('diagnoses the history, with the full garbage collections seen while sampling', async () => {
    const gc = getGc();
    const sampler = new Sampler({ intervalMs: 5 }).start();
    for (let i = 0; i < 4; i++) {
      await delay(20);
      gc(); // a full (mark-compact) collection, as a PerformanceObserver reports it
    }
    await delay(30);
    sampler.stop();
    const d = sampler.diagnose({ minSamples: 3, minDurationMs: 0 });
    expect(d.evidence.window.samples).toBe(sampler.history().length);
    expect(d.evidence.fullGcs).toBeGreaterThanOrEqual(3);
    expect(d.evidence.v8Used!.floor.method).toBe('full-gcs');
    expect(d.verdict).toBe('stable');
    // Stopped: no more are recorded.
    gc();
    await delay(20);
    expect(sampler.diagnose({ minSamples: 3, minDurationMs: 0 }).evidence.fullGcs).toBe(d.evidence.fullGcs);
  });

  it('uses its diagnose options, which a call can override', () => {
    const sampler = new Sampler({ diagnose: { minSamples: 50 } });
    expect(sampler.diagnose().advice[0]).toMatch(/needs 50 samples/);
    expect(sampler.diagnose({ minSamples: 7 }).advice[0]).toMatch(/needs 7 samples/);
  });

  it('validates its options by name', () => {
    expect(() => new Sampler({ diagnose: { minSamples: 1 } })).toThrow(/^options\.diagnose\.minSamples must be an integer >= 3/);
    expect(() => new Sampler({ diagnose: 'x' as never })).toThrow(/^options\.diagnose must be an object/);
    expect(() => new Sampler().diagnose({ bogus: 1 } as never)).toThrow(/^options\.bogus must be one of the known options/);
  });
});

describe('the verdict event', () => {
  it('fires when the verdict changes, with the diagnosis and the previous verdict', async () => {
    const sampler = new Sampler({ intervalMs: 5, diagnose: { minSamples: 5, minDurationMs: 0 } });
    const events: [Diagnosis, Verdict][] = [];
    sampler.on('verdict', (d, previous) => events.push([d, previous]));
    sampler.start();
    // Checks run at most every 250 ms, and a verdict is taken when it wins three in a row: wait for the first.
    for (let waited = 0; waited < 5000 && events.length === 0; waited += 100) await delay(100);
    sampler.stop();
    // An idle test process: from no verdict to stable.
    expect(events.length).toBeGreaterThanOrEqual(1);
    expect(events[0][1]).toBe('insufficient-data');
    expect(events[0][0].verdict).toBe('stable');
    for (let i = 1; i < events.length; i++) expect(events[i][1]).toBe(events[i - 1][0].verdict);
    for (const [d] of events) expect(d.verdict).not.toBe('insufficient-data');
  });

  it('follows a real leak in a child process: stable, then native-leak', async () => {
    const { stdout } = await runNode(['examples/scenarios/buffer-leak.mjs', '--json'], { timeoutMs: 120_000 });
    const result = JSON.parse(stdout.trim().split('\n').pop()!) as { changes: { from: Verdict; to: Verdict }[] };
    const path = result.changes.map((c) => c.to);
    expect(path[path.length - 1]).toBe('native-leak');
    expect(result.changes[0].from).toBe('insufficient-data');
  });

  it('lets a process exit while the sampler watches for full collections (unref)', async () => {
    const started = performance.now();
    await runNode(['-e', "const { Sampler } = require('mallinfo'); const s = new Sampler({ intervalMs: 20 }).start(); s.on('verdict', () => {});"]);
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});
