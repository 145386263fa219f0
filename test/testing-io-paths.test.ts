// The slice of the leak-test reliability suite (scripts/leak-paths) that
// runs with the unit tests: each check in a fresh process (concurrently),
// as `npm run leak-reliability` does with 30 runs of every case.
import { describe, expect, it } from 'vitest';
import { runNodeJson } from './helpers';

interface CheckResult {
  leaked: boolean;
  kind: 'native' | 'v8' | 'both' | null;
  ms: number;
  attempts: string;
  warmup: { calls: number; extended: number; leveledOff: boolean };
  waits: { readings: number; closed: Record<string, number>; stillOpen: Record<string, number> };
}

function check(path: string, variant: string): Promise<CheckResult> {
  return runNodeJson<CheckResult>(['scripts/leak-reliability.mjs', '--path', path, '--variant', variant], { timeoutMs: 60_000 });
}

describe.concurrent('expectNoLeak on real I/O paths (each check in a fresh process)', () => {
  // The case: an HTTP GET per call, { iterations: 200 }, a clean server in the same process.
  it('passes HTTP GETs with agent: false, and says it waited for their sockets to close', async () => {
    const result = await check('http agent:false', 'clean');
    expect(result.leaked).toBe(false);
    expect(result.waits.closed.TCPSocketWrap).toBeGreaterThan(0);
    expect(result.waits.stillOpen).toEqual({});
  });

  it('passes HTTP GETs through the global agent with warmup: 2000', async () => {
    expect((await check('http global agent', 'clean + warmup 2000')).leaked).toBe(false);
  });

  it('passes fetch()', async () => {
    expect((await check('fetch', 'clean')).leaked).toBe(false);
  });

  it('passes zlib streams', async () => {
    expect((await check('zlib streams', 'clean')).leaked).toBe(false);
  });

  it('catches 10 KB of Buffers kept per HTTP GET as native memory', async () => {
    const result = await check('http keep-alive', 'native 10 KB');
    expect(result.leaked).toBe(true);
    expect(['native', 'both']).toContain(result.kind);
  });

  it('catches 10 KB of JS objects kept per message to a worker as V8 memory', async () => {
    const result = await check('worker postMessage', 'V8 10 KB');
    expect(result.leaked).toBe(true);
    expect(result.kind).toBe('v8');
  });
});
