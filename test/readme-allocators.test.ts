// What the README says about expectNoLeak under other allocators, checked
// against what it does (issue 12 #11: the README said a preloaded jemalloc
// made it throw; it works).
import { readdirSync, readFileSync } from 'node:fs';
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

describe('the docs: expectNoLeak under other allocators', () => {
  it('works under a preloaded jemalloc and tcmalloc, throws UnsupportedError under mimalloc, as the docs say', async () => {
    const [jemalloc, tcmalloc, mimalloc] = await Promise.all([underAllocator('jemalloc'), underAllocator('tcmalloc'), underAllocator('mimalloc')]);
    expect(jemalloc).toEqual({ ok: true });
    expect(tcmalloc).toEqual({ ok: true });
    expect(mimalloc).toEqual({ ok: false, name: 'UnsupportedError' });
    // The reference moved from the README to docs/: every page is checked.
    const pages = ['README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => join('docs', f))];
    const text = pages.map((page) => readFileSync(join(root, page), 'utf8').replace(/\s+/g, ' ')).join(' ');
    expect(text).not.toContain('(musl, a preloaded jemalloc)');
    expect(text).toContain('A preloaded jemalloc or tcmalloc gives statistics and works like glibc');
    expect(text).toMatch(/none \(musl, an unknown allocator such as mimalloc/);
  });
});
