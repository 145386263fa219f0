import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sample } from 'mallinfo';
import { openFdCount } from './helpers';

const script = join(__dirname, 'fixtures', 'worker-sample.cjs');

function runWorker(): Promise<{ inUse: number; resident: number }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(script);
    let message: { inUse: number; resident: number } | undefined;
    worker.once('message', (m) => (message = m));
    worker.once('error', reject);
    worker.once('exit', (code) => (code === 0 && message ? resolve(message) : reject(new Error(`exit ${code}`))));
  });
}

describe('worker threads', () => {
  it('loads and samples in 50 workers that start and exit, closing every descriptor it opened', async () => {
    // One warm-up worker, so lazily opened descriptors of Node itself are counted in both.
    await runWorker();
    const fdsBefore = openFdCount();
    const results = [];
    for (let batch = 0; batch < 5; batch++) {
      results.push(...(await Promise.all(Array.from({ length: 10 }, runWorker))));
    }
    expect(results).toHaveLength(50);
    const resident = sample().process!.resident;
    for (const r of results) {
      expect(r.inUse).toBeGreaterThan(0);
      // The allocator and RSS are per process: workers see the same numbers.
      expect(r.resident).toBeGreaterThan(resident / 4);
    }
    expect(openFdCount()).toBe(fdsBefore);
  });
});
