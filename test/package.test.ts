import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareVersions, neededVersions } from './elf';
import { root, runNodeJson } from './helpers';

describe('the package', () => {
  it('works through require() and through import, with named exports', async () => {
    const cjs = await runNodeJson<string[]>(['-e', "console.log(JSON.stringify(Object.keys(require('mallinfo')).sort()))"]);
    const esm = await runNodeJson<string[]>([
      '--input-type=module',
      '-e',
      "import * as m from 'mallinfo'; import { sample } from 'mallinfo'; sample(); console.log(JSON.stringify(Object.keys(m).filter((k) => k !== 'default' && k !== '__esModule' && k !== 'module.exports').sort()))",
    ]);
    expect(cjs).toEqual(expect.arrayContaining(['Sampler', 'allocator', 'sample', 'trimSync']));
    expect(cjs).toEqual(expect.arrayContaining(['trim', 'arenas', 'parseMallocInfo', 'MallocInfoParseError', 'mallocSettings', 'processMemory']));
    expect(esm).toEqual(cjs);
  });

  it('is typed for ESM and CommonJS TypeScript consumers', () => {
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    const result = spawnSync(process.execPath, [tsc, '-p', join(root, 'test', 'fixtures', 'tsconfig.consumer.json')], {
      encoding: 'utf8',
    });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('builds a .node that needs no GLIBC_ symbol version above 2.28', () => {
    const versions = neededVersions(join(root, 'build', 'Release', 'mallinfo.node'));
    expect(compareVersions(versions.GLIBC, '2.28')).toBeLessThanOrEqual(0);
    // mallinfo2, dlsym and the jemalloc/tcmalloc entry points are looked up
    // at run time, not bound at link time.
    const symbols = execFileSync('objdump', ['-T', join(root, 'build', 'Release', 'mallinfo.node')], { encoding: 'utf8' });
    expect(symbols).not.toMatch(/\bmallinfo2\b/);
    expect(symbols).not.toMatch(/\bmallctl|MallocExtension_|tc_version/);
    expect(symbols).not.toMatch(/GLIBC_2\.3[3-9]/);
  });
});
