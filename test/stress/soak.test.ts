import { describe, expect, it } from 'vitest';
import { KiB, MiB, runNodeJson } from '../helpers';

interface Reading {
  inUse: number;
  v8Used: number;
  fds: number;
}
interface Soak {
  start: Reading;
  end: Reading;
  samples: number;
}

describe('soak', () => {
  it('1,000,000 sample() calls: native in-use and V8 heap flat, no descriptor growth', async () => {
    const r = await runNodeJson<Soak>(['test/stress/fixtures/soak.cjs'], { env: { MODE: 'calls' }, timeoutMs: 300_000 });
    console.log(`1e6 calls: inUse ${r.end.inUse - r.start.inUse} B, V8 used ${r.end.v8Used - r.start.v8Used} B, fds ${r.start.fds}→${r.end.fds}`);
    // A 32-byte chunk kept per call would be 32 MB.
    expect(Math.abs(r.end.inUse - r.start.inUse)).toBeLessThan(256 * KiB);
    expect(Math.abs(r.end.v8Used - r.start.v8Used)).toBeLessThan(1 * MiB);
    expect(r.end.fds).toBe(r.start.fds);
  }, 300_000);

  it('a Sampler at 1 ms for 60 s: native in-use and V8 heap flat, no descriptor growth', async () => {
    const r = await runNodeJson<Soak>(['test/stress/fixtures/soak.cjs'], { env: { MODE: 'sampler', SECONDS_TOTAL: '60' }, timeoutMs: 300_000 });
    console.log(`60 s at 1 ms: ${r.samples} samples; inUse ${r.end.inUse - r.start.inUse} B, V8 used ${r.end.v8Used - r.start.v8Used} B, fds ${r.start.fds}→${r.end.fds}`);
    expect(r.samples).toBeGreaterThan(20_000);
    expect(Math.abs(r.end.inUse - r.start.inUse)).toBeLessThan(256 * KiB);
    expect(Math.abs(r.end.v8Used - r.start.v8Used)).toBeLessThan(1 * MiB);
    expect(r.end.fds).toBe(r.start.fds);
  }, 300_000);
});
