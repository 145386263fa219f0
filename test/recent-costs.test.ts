import { describe, expect, it } from 'vitest';
import { RecentCosts } from '../src/sampler/recent-costs';

describe('RecentCosts: what the Sampler backs off by', () => {
  it('ignores one or two stretched samples and follows three slow ones in a row', () => {
    const costs = new RecentCosts();
    expect(costs.push(200_000)).toBe(0);
    expect(costs.push(134_000_000)).toBe(0); // waited once (a trim held the arena lock): no back-off
    expect(costs.push(180_000)).toBe(180_000);
    expect(costs.push(20e6)).toBe(180_000);
    expect(costs.push(22e6)).toBe(180_000);
    expect(costs.push(21e6)).toBe(20e6); // three slow in a row: the lowest of them
    expect(costs.push(300_000)).toBe(300_000); // one cheap sample: back to normal
  });

  it('starts afresh after reset()', () => {
    const costs = new RecentCosts();
    for (const cost of [5e6, 6e6, 7e6]) costs.push(cost);
    costs.reset();
    expect(costs.push(9e6)).toBe(0);
  });
});
