import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { root, runNode, runNodeJson } from './helpers';

const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const fixtures = join(root, 'test', 'fixtures');
const scratch = mkdtempSync(join(tmpdir(), 'mallinfo-testing-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function typeCheck(project: string): string {
  const result = spawnSync(process.execPath, [tsc, '-p', project], { encoding: 'utf8' });
  return `${result.status}${result.stdout}${result.stderr}`;
}

describe('the subpath exports mallinfo/testing and mallinfo/vitest', () => {
  it('mallinfo/testing works through require() and through import, with the same named exports', async () => {
    const cjs = await runNodeJson<string[]>(['-e', "console.log(JSON.stringify(Object.keys(require('mallinfo/testing')).sort()))"]);
    const esm = await runNodeJson<string[]>([
      '--input-type=module',
      '-e',
      "import * as t from 'mallinfo/testing'; console.log(JSON.stringify(Object.keys(t).filter((k) => k !== 'default' && k !== '__esModule' && k !== 'module.exports').sort()))",
    ]);
    expect(cjs).toEqual(['LEAK_DEFAULTS', 'LeakError', 'MeasurementTimeoutError', 'expectNoLeak', 'measure']);
    expect(esm).toEqual(cjs);
  });

  it('mallinfo/vitest is for import only, as vitest itself is', async () => {
    await expect(runNode(['-e', "require('mallinfo/vitest')"])).rejects.toThrow(/ERR_PACKAGE_PATH_NOT_EXPORTED/);
  });

  it('types both for nodenext ESM and CommonJS consumers, vitest matcher included', () => {
    expect(typeCheck(join(fixtures, 'tsconfig.testing-consumer.json'))).toBe('0');
  });

  it('types mallinfo/testing for a consumer on node10 resolution (through typesVersions)', () => {
    // node10 resolution finds packages only in node_modules: install the package there by symlink.
    mkdirSync(join(scratch, 'node_modules'));
    symlinkSync(root, join(scratch, 'node_modules', 'mallinfo'));
    symlinkSync(join(root, 'node_modules', '@types'), join(scratch, 'node_modules', '@types'));
    copyFileSync(join(fixtures, 'consumer-testing-node10.ts'), join(scratch, 'consumer-testing-node10.ts'));
    copyFileSync(join(fixtures, 'tsconfig.testing-node10.json'), join(scratch, 'tsconfig.json'));
    expect(typeCheck(scratch)).toBe('0');
    // The control: the same consumer without typesVersions does not resolve.
    const pkg = join(scratch, 'pkg');
    mkdirSync(join(pkg, 'node_modules'), { recursive: true });
    writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'mallinfo', types: './lib/index.d.ts', exports: { './testing': { types: './lib/testing.d.ts' } } }));
    symlinkSync(join(root, 'lib'), join(pkg, 'lib'));
    rmSync(join(scratch, 'node_modules', 'mallinfo'));
    symlinkSync(pkg, join(scratch, 'node_modules', 'mallinfo'));
    expect(typeCheck(scratch)).toMatch(/Cannot find module 'mallinfo\/testing'/);
  });
});
