import { describe, expect, it } from 'vitest';
import { runNode, runNodeJson } from '../helpers';

interface Outcome {
  workers: number;
  errors: string[];
  terminated: number;
  cleanExits: number;
  withResults: number;
  mainSamples: number;
  worstRssGap: number;
  fdsBefore: number;
  fdsAfter: number;
}

describe('worker threads under churn', () => {
  it('200 workers load, sample, trim and exit (a third terminated mid-sample) while the main thread samples', async () => {
    const r = await runNodeJson<Outcome>(['test/stress/fixtures/workers.cjs'], { timeoutMs: 300_000 });
    console.log(JSON.stringify(r));
    expect(r.workers).toBe(200);
    expect(r.errors).toEqual([]);
    expect(r.terminated).toBe(67);
    expect(r.cleanExits).toBe(133);
    expect(r.withResults).toBe(200);
    expect(r.mainSamples).toBeGreaterThan(50);
    // Main-thread readings still agree with the kernel's VmRSS read around them.
    expect(r.worstRssGap).toBeLessThan(16 * 1024 * 1024);
    expect(r.fdsAfter).toBe(r.fdsBefore);
  });
});

describe('worker threads terminated while the addon loads', () => {
  it('100 workers terminated 0–3 ms into loading the .node file: the process carries on', async () => {
    // Before NODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS, a napi call failing in a
    // terminating worker threw a Napi::Error that could not be rethrown into
    // JS, and std::terminate took the whole process down within a second.
    const { stdout } = await runNode(['test/stress/fixtures/worker-terminate-early.cjs', '100'], { timeoutMs: 120_000 });
    expect(JSON.parse(stdout)).toEqual({ terminated: 100 });
  }, 130_000);
});
