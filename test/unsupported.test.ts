import { describe, expect, it } from 'vitest';
import { runNodeJson } from './helpers';
import { preloadPath } from './preload';

interface Outcome {
  ok: boolean;
  value?: unknown;
  name?: string;
  code?: string;
  message?: string;
}
interface Result {
  kind: string;
  settings: unknown;
  trim: Outcome;
  arenas: Outcome;
  autoTrim: Outcome;
  processMemory: Outcome;
}

describe('where glibc malloc does not serve the process', () => {
  it('an allocator mallinfo does not know (mimalloc): trim(), arenas() and autoTrim refuse, saying why; processMemory() works', async () => {
    const result = await runNodeJson<Result>(['test/fixtures/unsupported.cjs'], { env: { LD_PRELOAD: preloadPath('mimalloc') } });
    expect(result.kind).toBe('unknown');
    expect(result.settings).toBeNull();
    for (const refused of [result.trim, result.arenas, result.autoTrim]) {
      expect(refused).toMatchObject({ ok: false, name: 'UnsupportedError', code: 'ERR_MALLINFO_UNSUPPORTED' });
      expect(refused.message).toContain('mimalloc');
    }
    expect(result.processMemory).toEqual({ ok: true, value: 'number' });
  });

  it('jemalloc: trim() purges, arenas() reports jemalloc arenas, autoTrim is accepted; glibc settings are null', async () => {
    const result = await runNodeJson<Result>(['test/fixtures/unsupported.cjs'], { env: { LD_PRELOAD: preloadPath('jemalloc') } });
    expect(result.kind).toBe('jemalloc');
    expect(result.settings).toBeNull();
    expect(result.trim).toEqual({ ok: true, value: 'number' });
    expect(result.arenas).toEqual({ ok: true, value: 'jemalloc' });
    expect(result.autoTrim).toEqual({ ok: true, value: 'object' });
  });
});
