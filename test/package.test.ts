import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { root, runNode, runNodeJson } from './helpers';

/** The highest version of each symbol-version family a shared object needs. */
function neededVersions(file: string): Record<string, string> {
  const out = execFileSync('objdump', ['-T', file], { encoding: 'utf8' });
  const highest: Record<string, string> = {};
  for (const [, family, version] of out.matchAll(/\b(GLIBC|GLIBCXX|CXXABI)_([0-9.]+)\b/g)) {
    const current = highest[family];
    if (current === undefined || compareVersions(version, current) > 0) highest[family] = version;
  }
  return highest;
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

const scratch = mkdtempSync(join(tmpdir(), 'mallinfo-package-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

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
    // mallinfo2 and dlsym are looked up at run time, not bound at link time.
    const symbols = execFileSync('objdump', ['-T', join(root, 'build', 'Release', 'mallinfo.node')], { encoding: 'utf8' });
    expect(symbols).not.toMatch(/\bmallinfo2\b/);
    expect(symbols).not.toMatch(/GLIBC_2\.3[3-9]/);
  });

  it('prebuildify --napi --strip --tag-libc writes a prebuild that node-gyp-build loads with PREBUILDS_ONLY=1', async () => {
    // Build in a copy, so this test does not rebuild under the other test files.
    const pkg = join(scratch, 'mallinfo');
    for (const entry of ['package.json', 'binding.gyp', 'native', 'lib']) cpSync(join(root, entry), join(pkg, entry), { recursive: true });
    symlinkSync(join(root, 'node_modules'), join(pkg, 'node_modules'));
    const prebuildify = join(root, 'node_modules', 'prebuildify', 'bin.js');
    execFileSync(process.execPath, [prebuildify, '--napi', '--strip', '--tag-libc'], { cwd: pkg, stdio: 'pipe' });
    rmSync(join(pkg, 'build'), { recursive: true, force: true });
    const files = readdirSync(join(pkg, 'prebuilds', `linux-${process.arch}`));
    expect(files).toContain('mallinfo.glibc.node');
    const prebuild = join(pkg, 'prebuilds', `linux-${process.arch}`, 'mallinfo.glibc.node');
    expect(compareVersions(neededVersions(prebuild).GLIBC, '2.28')).toBeLessThanOrEqual(0);
    const { stdout } = await runNode(['-e', `const m = require(${JSON.stringify(pkg)}); console.log(m.sample().heap.inUse > 0)`], {
      env: { PREBUILDS_ONLY: '1' },
    });
    expect(stdout.trim()).toBe('true');
  }, 120_000);
});
