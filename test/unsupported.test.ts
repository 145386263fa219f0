import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { runNodeJson } from './helpers';

interface Outcome {
  ok: boolean;
  value?: unknown;
  name?: string;
  code?: string;
  message?: string;
}

/** Where the dynamic linker finds libjemalloc.so.2 (.ci/run installs libjemalloc2). */
function jemallocPath(): string {
  const line = execFileSync('ldconfig', ['-p'], { encoding: 'utf8' })
    .split('\n')
    .find((l) => l.includes('libjemalloc.so.2 ') && l.includes(process.arch === 'arm64' ? 'AArch64' : 'x86-64'));
  if (line === undefined) throw new Error('libjemalloc.so.2 is not installed (Debian package libjemalloc2)');
  return line.split('=> ')[1].trim();
}

describe('where glibc malloc does not serve the process (jemalloc LD_PRELOADed)', () => {
  it('trim(), arenas() and autoTrim refuse with UnsupportedError; settings is null; processMemory() works', async () => {
    const result = await runNodeJson<{
      kind: string;
      settings: unknown;
      trim: Outcome;
      arenas: Outcome;
      autoTrim: Outcome;
      processMemory: Outcome;
    }>(['test/fixtures/unsupported.cjs'], { env: { LD_PRELOAD: jemallocPath() } });
    expect(result.kind).toBe('jemalloc');
    expect(result.settings).toBeNull();
    for (const refused of [result.trim, result.arenas, result.autoTrim]) {
      expect(refused).toMatchObject({ ok: false, name: 'UnsupportedError', code: 'ERR_MALLINFO_UNSUPPORTED' });
      expect(refused.message).toContain('jemalloc');
    }
    expect(result.processMemory).toEqual({ ok: true, value: 'number' });
  });
});
