import { describe, expect, it } from 'vitest';
import { runNodeJson } from '../helpers';

interface Result {
  freeChunks: number;
  medianCostNs: number;
  samples: number;
  samplingShare: number;
  slow: { costNs: number; intervalMs: number; baseIntervalMs: number }[];
  currentIntervalMs: number;
  timerTicks: number;
  elapsedMs: number;
}

describe('a heap with a million free chunks', () => {
  it('makes sample() cost milliseconds, and the Sampler backs off instead of stalling the loop every tick', async () => {
    const r = await runNodeJson<Result>(['--max-old-space-size=4096', 'test/stress/fixtures/free-chunks.mjs'], { timeoutMs: 300_000 });
    console.log(
      `free chunks ${r.freeChunks}, sample() ${(r.medianCostNs / 1e6).toFixed(1)} ms, ${r.samples} samples in ${(r.elapsedMs / 1000).toFixed(1)} s ` +
        `(asked every 100 ms), interval now ${r.currentIntervalMs} ms, sampling share ${(r.samplingShare * 100).toFixed(2)} %, slow events ${r.slow.length}`,
    );
    expect(r.freeChunks).toBeGreaterThan(900_000);
    // mallinfo2 walks every free chunk: milliseconds, not microseconds.
    expect(r.medianCostNs).toBeGreaterThan(2e6);
    expect(r.slow.length).toBeGreaterThanOrEqual(1);
    expect(r.slow[0].baseIntervalMs).toBe(100);
    expect(r.slow[0].intervalMs).toBeGreaterThanOrEqual(Math.ceil(r.slow[0].costNs / 1e6 / 0.01));
    expect(r.currentIntervalMs).toBeGreaterThan(100);
    // 80 ticks were asked for; backing off keeps sampling near 1 % of the time.
    expect(r.samples).toBeLessThan(40);
    expect(r.samplingShare).toBeLessThan(0.05);
  }, 300_000);
});
