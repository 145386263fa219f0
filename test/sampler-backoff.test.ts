// The Sampler's back-off is bounded: however small maxCostShare, a slow
// sample stretches the interval to at most a minute (or intervalMs when
// that is longer), never to the timer's 24.8-day limit (issue 12 #11).
import { describe, expect, it } from 'vitest';
import { Sampler, type SamplerEvents } from 'mallinfo';

type SlowSampleEvent = SamplerEvents['slow'][0];

function firstSlow(options: ConstructorParameters<typeof Sampler>[0]): Promise<SlowSampleEvent> {
  const sampler = new Sampler(options);
  return new Promise((resolve) => {
    sampler.once('slow', (event) => {
      sampler.stop();
      resolve(event);
    });
    sampler.start();
  });
}

describe('Sampler back-off', () => {
  it('waits at most 60 s between samples when a tiny maxCostShare makes every sample slow', async () => {
    const event = await firstSlow({ intervalMs: 10, maxCostShare: 1e-300 });
    expect(event).toMatchObject({ baseIntervalMs: 10, intervalMs: 60_000 });
  });

});
