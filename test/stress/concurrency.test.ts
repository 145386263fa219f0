import { describe, expect, it } from 'vitest';
import { runNodeJson } from '../helpers';

describe('sampling while other threads allocate', () => {
  it('stays consistent while zlib and crypto churn the threadpool arenas', async () => {
    const r = await runNodeJson<{ samples: number; inconsistent: number; jobs: number; maxCostNs: number }>([
      'test/stress/fixtures/threadpool-churn.cjs',
    ]);
    console.log(JSON.stringify(r));
    expect(r.samples).toBeGreaterThan(10_000);
    expect(r.jobs).toBeGreaterThan(50);
    expect(r.inconsistent).toBe(0);
  });
});
