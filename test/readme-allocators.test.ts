// What the README says about expectNoLeak under other allocators, checked
// against what it does (issue 12 #11: the README said a preloaded jemalloc
// made it throw; it works).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root, runNodeJson } from './helpers';
import { preloadPath, type PreloadedAllocator } from './preload';

const CHECK = `
  const { expectNoLeak } = require('mallinfo/testing');
  expectNoLeak(() => Buffer.alloc(16)).then(
    () => console.log(JSON.stringify({ ok: true })),
    (e) => console.log(JSON.stringify({ ok: false, name: e.name })),
  );`;

async function underAllocator(allocator: PreloadedAllocator): Promise<{ ok: boolean; name?: string }> {
  return runNodeJson(['-e', CHECK], { env: { LD_PRELOAD: preloadPath(allocator) } });
}

describe('README: expectNoLeak under other allocators', () => {
  it('works under a preloaded jemalloc and tcmalloc, throws UnsupportedError under mimalloc, as the README says', async () => {
    const [jemalloc, tcmalloc, mimalloc] = await Promise.all([underAllocator('jemalloc'), underAllocator('tcmalloc'), underAllocator('mimalloc')]);
    expect(jemalloc).toEqual({ ok: true });
    expect(tcmalloc).toEqual({ ok: true });
    expect(mimalloc).toEqual({ ok: false, name: 'UnsupportedError' });
    const readme = readFileSync(join(root, 'README.md'), 'utf8').replace(/\s+/g, ' ');
    const section = readme.slice(readme.indexOf('### `expectNoLeak(fn, options?)'), readme.indexOf('### What a leak looks like'));
    expect(section).not.toContain('(musl, a preloaded jemalloc)');
    expect(section).toContain('A preloaded jemalloc or tcmalloc gives statistics and works like glibc');
    expect(section).toMatch(/none \(musl, an unknown allocator such as mimalloc/);
  });
});
