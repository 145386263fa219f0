// End to end, as a user gets the package: `npm pack` (its prepack runs
// `npm run prebuilds`: x64 and a cross-compiled arm64; done once for the slow
// suite by test/packed-package.setup.ts), then `npm install` of the tarball
// into an empty project on a PATH without any compiler — the prebuild must
// load. And on musl the glibc prebuild must never be chosen: a source build is.
import { execFileSync, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { emptyProject, installTarball, LOAD_AND_SAMPLE } from '../scripts/package-tools.mjs';
import { compareVersions, neededLibraries, neededVersions } from './elf';
import { root } from './helpers';

// Node 20's official binary needs GLIBC_2.28, GLIBCXX_3.4.21 and
// CXXABI_1.3.9 (Node 22 the same; 24 and 26 CXXABI_1.3.11): a prebuild
// that needs no more loads wherever a supported Node runs.
const CEILING: Record<string, string> = { GLIBC: '2.28', GLIBCXX: '3.4.21', CXXABI: '1.3.9' };

const scratch = mkdtempSync(join(tmpdir(), 'mallinfo-prebuild-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const pkg = inject('packedFrom');
const tarball = inject('packedTarball');

function commandPath(command: string): string | null {
  const out = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  return out.status === 0 ? out.stdout.trim() : null;
}

/** A directory of symlinks to node, npm and sh only: a PATH with no compiler. */
function compilerFreePath(): string {
  const bin = join(scratch, 'bin');
  mkdirSync(bin, { recursive: true });
  const npm = commandPath('npm');
  if (npm === null) throw new Error('npm is not on PATH');
  symlinkSync(process.execPath, join(bin, 'node'));
  symlinkSync(realpathSync(npm), join(bin, 'npm'));
  symlinkSync('/bin/sh', join(bin, 'sh'));
  return bin;
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 180_000 });
}

const LOAD = ['-e', LOAD_AND_SAMPLE];

describe('npm run prebuilds (run by npm pack: prepack)', () => {
  it.each(['x64', 'arm64'] as const)(
    `writes prebuilds/linux-%s/mallinfo.glibc.node needing at most GLIBC_${CEILING.GLIBC}, GLIBCXX_${CEILING.GLIBCXX}, CXXABI_${CEILING.CXXABI}`,
    (arch) => {
      const file = join(pkg, 'prebuilds', `linux-${arch}`, 'mallinfo.glibc.node');
      const needed = neededVersions(file, arch);
      for (const family of Object.keys(CEILING)) {
        expect(needed[family], `${family} of ${arch}`).toBeDefined();
        expect(compareVersions(needed[family], CEILING[family]), `${family}_${needed[family]} (${arch})`).toBeLessThanOrEqual(0);
      }
      expect(Object.keys(needed).sort()).toEqual(Object.keys(CEILING).sort());
    },
  );

  it('needs nothing newer from the C++ runtime than the Node binary running this test does', () => {
    // An independent check on every Node of the matrix: a dynamically linked
    // Node brings a libstdc++ at least this new.
    if (!neededLibraries(process.execPath).includes('libstdc++.so.6')) {
      expect.fail(`${process.execPath} does not link libstdc++ dynamically: compare against CEILING only`);
    }
    const node = neededVersions(process.execPath);
    const prebuild = neededVersions(join(pkg, 'prebuilds', `linux-${process.arch}`, 'mallinfo.glibc.node'));
    for (const family of ['GLIBC', 'GLIBCXX', 'CXXABI']) {
      expect(compareVersions(prebuild[family], node[family]), `${family}: prebuild ${prebuild[family]}, node ${node[family]}`).toBeLessThanOrEqual(0);
    }
  });
});

describe('the packed tarball', () => {
  it('holds both prebuilds, the compiled library and every source a build from source needs', () => {
    const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n');
    const sources = readdirSync(join(root, 'native')).map((f) => `package/native/${f}`);
    expect(files).toEqual(
      expect.arrayContaining([
        'package/prebuilds/linux-x64/mallinfo.glibc.node',
        'package/prebuilds/linux-arm64/mallinfo.glibc.node',
        'package/binding.gyp',
        'package/package.json',
        'package/lib/index.js',
        'package/lib/index.d.ts',
        ...sources,
      ]),
    );
    expect(files.filter((f) => /^package\/(test|src|scripts|build)\//.test(f))).toEqual([]);
  });

  it('installs into an empty project and loads the prebuild with no compiler on PATH', () => {
    const PATH = compilerFreePath();
    for (const compiler of ['g++', 'gcc', 'cc', 'c++', 'make']) {
      expect(run('sh', ['-c', `command -v ${compiler}`], scratch, { PATH }).status, compiler).not.toBe(0);
    }
    const project = emptyProject(join(scratch, 'consumer'));
    const install = installTarball(tarball, project, { PATH });
    expect(install.status, install.stderr).toBe(0);
    expect(existsSync(join(project, 'node_modules', 'mallinfo', 'build'))).toBe(false);
    const loaded = run('node', LOAD, project, { PATH });
    expect(loaded.status, loaded.stderr).toBe(0);
    const { binary, inUse } = JSON.parse(loaded.stdout) as { binary: string; inUse: number };
    expect(binary).toBe(join(project, 'node_modules', 'mallinfo', 'prebuilds', `linux-${process.arch}`, 'mallinfo.glibc.node'));
    expect(inUse).toBeGreaterThan(0);
  });

  it('never loads the glibc prebuild on musl: there it is a build from source', () => {
    // node-gyp-build reads the C library from LIBC (musl on Alpine): with
    // only *.glibc.node prebuilds it finds none for musl...
    const project = join(scratch, 'consumer');
    const musl = run('node', LOAD, project, { LIBC: 'musl' });
    expect(musl.status).not.toBe(0);
    expect(musl.stderr).toMatch(/No native build was found for .*libc=musl/);
    // ...so an install there compiles the addon, and loads that build.
    const source = emptyProject(join(scratch, 'musl-consumer'));
    const install = installTarball(tarball, source, { LIBC: 'musl', JOBS: 'max' });
    expect(install.status, install.stderr).toBe(0);
    const built = join(source, 'node_modules', 'mallinfo', 'build', 'Release', 'mallinfo.node');
    expect(existsSync(built)).toBe(true);
    const loaded = run('node', LOAD, source, { LIBC: 'musl' });
    expect(loaded.status, loaded.stderr).toBe(0);
    expect(JSON.parse(loaded.stdout)).toMatchObject({ binary: built });
  }, 180_000);
});
