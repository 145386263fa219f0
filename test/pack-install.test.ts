// The package as a user receives it: the tarball `npm pack` makes (its
// prepack builds prebuilds/), installed into fresh projects — once on a PATH
// with no compiler at all, once with --ignore-scripts — and used from
// there: sample(), the CLI, the vitest matcher. And the arm64 prebuild,
// loaded by an arm64 Node from the npm registry under qemu-user-static.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ARM64_SYSROOT, emptyProject, LOAD_AND_SAMPLE, NPM_QUIET, nodePackage } from '../scripts/package-tools.mjs';

const tarball = inject('packedTarball');
const scratch = mkdtempSync(join(tmpdir(), 'mallinfo-install-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function commandPath(command: string): string | null {
  const out = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  return out.status === 0 ? out.stdout.trim() : null;
}

/** A directory holding node, npm and sh only: a PATH on which no compiler, make or python can be found. */
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
  return spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...env }, timeout: 300_000 });
}

/** `npm install <tarball> vitest@4` in a new project; vitest for the matcher, from npm's cache when it can. */
function install(name: string, env: NodeJS.ProcessEnv, flags: string[] = []): string {
  const project = emptyProject(join(scratch, name));
  const result = run('npm', ['install', ...NPM_QUIET, ...flags, tarball, 'vitest@^4'], project, env);
  expect(result.status, `npm install in ${name}:\n${result.stderr}`).toBe(0);
  return project;
}

/** What a consumer does: sample(), the CLI over a program, and a leak test with the vitest matcher. */
function useInstalledPackage(project: string, env: NodeJS.ProcessEnv): void {
  const loaded = run('node', ['-e', LOAD_AND_SAMPLE], project, env);
  expect(loaded.status, loaded.stderr).toBe(0);
  const seen = JSON.parse(loaded.stdout) as { binary: string; inUse: number; resident: number };
  expect(seen.binary).toBe(join(project, 'node_modules', 'mallinfo', 'prebuilds', `linux-${process.arch}`, 'mallinfo.glibc.node'));
  expect(seen.inUse).toBeGreaterThan(0);
  expect(seen.resident).toBeGreaterThan(seen.inUse);

  const cli = run(join(project, 'node_modules', '.bin', 'mallinfo'), ['run', '--quiet', '--json', '--interval', '100ms', '--', 'node', '-e', 'setTimeout(() => {}, 1000)'], project, env);
  expect(cli.status, cli.stderr).toBe(0);
  const summary = JSON.parse(cli.stdout.trim().split('\n').pop()!) as { exitCode: number; primary: { samples: number; allocator: { kind: string } } };
  expect(summary.exitCode).toBe(0);
  expect(summary.primary.samples).toBeGreaterThanOrEqual(3);
  expect(summary.primary.allocator.kind).toBe('glibc');

  writeFileSync(
    join(project, 'leak.test.mjs'),
    [
      "import { expect, it } from 'vitest';",
      "import 'mallinfo/vitest';",
      "it('a function that frees what it allocates does not leak', async () => {",
      '  await expect(() => Buffer.alloc(1024).length).not.toLeakMemory();',
      '});',
      "it('a function that keeps a Buffer per call leaks', async () => {",
      '  const kept = [];',
      '  await expect(() => kept.push(Buffer.alloc(1024))).toLeakMemory();',
      '});',
    ].join('\n'),
  );
  const vitest = run('node', [join(project, 'node_modules', 'vitest', 'vitest.mjs'), 'run', 'leak.test.mjs'], project, env);
  expect(vitest.status, vitest.stdout + vitest.stderr).toBe(0);
  expect(vitest.stdout.replace(/\x1b\[[0-9;]*m/g, '')).toMatch(/Tests\s+2 passed \(2\)/);
}

describe('the packed tarball', () => {
  let PATH = '';
  beforeAll(() => {
    PATH = compilerFreePath();
  });

  it('holds prebuilds for linux-x64 and linux-arm64, the LICENSE and the README', () => {
    const files = run('tar', ['-tzf', tarball], scratch).stdout.split('\n');
    expect(files).toEqual(
      expect.arrayContaining([
        'package/prebuilds/linux-x64/mallinfo.glibc.node',
        'package/prebuilds/linux-arm64/mallinfo.glibc.node',
        'package/LICENSE',
        'package/README.md',
        'package/lib/index.js',
        'package/lib/cli/main.js',
        'package/lib/vitest.mjs',
      ]),
    );
    expect(run('sh', ['-c', `tar -xOzf ${tarball} package/LICENSE | head -1`], scratch).stdout.trim()).toBe('MIT License');
  });

  it('installs and works on a PATH with no compiler, make or python', () => {
    for (const tool of ['g++', 'gcc', 'cc', 'c++', 'make', 'python3']) {
      expect(run('sh', ['-c', `command -v ${tool}`], scratch, { PATH }).status, tool).not.toBe(0);
    }
    const project = install('no-compiler', { PATH });
    expect(existsSync(join(project, 'node_modules', 'mallinfo', 'build'))).toBe(false);
    useInstalledPackage(project, { PATH });
  }, 600_000);

  it('installs and works with --ignore-scripts (no install script runs at all)', () => {
    const project = install('ignore-scripts', { PATH }, ['--ignore-scripts']);
    expect(existsSync(join(project, 'node_modules', 'mallinfo', 'build'))).toBe(false);
    useInstalledPackage(project, { PATH });
  }, 600_000);

  it('loads its arm64 prebuild in an arm64 Node under qemu-user-static, and samples', () => {
    const qemu = commandPath('qemu-aarch64-static');
    if (qemu === null || !existsSync(ARM64_SYSROOT)) {
      expect.fail(`needs qemu-aarch64-static and ${ARM64_SYSROOT}: install Debian's qemu-user-static and g++-aarch64-linux-gnu (bash .ci/run does)`);
    }
    const node = join(nodePackage('arm64', '22'), 'bin', 'node');
    const project = join(scratch, 'ignore-scripts');
    const result = run(qemu, ['-L', ARM64_SYSROOT, node, '-e', LOAD_AND_SAMPLE], project);
    expect(result.status, result.stderr).toBe(0);
    const seen = JSON.parse(result.stdout) as { arch: string; binary: string; inUse: number; resident: number; trim: { released: number } };
    expect(seen.arch).toBe('arm64');
    expect(seen.binary).toBe(join(project, 'node_modules', 'mallinfo', 'prebuilds', 'linux-arm64', 'mallinfo.glibc.node'));
    expect(seen.inUse).toBeGreaterThan(0);
    expect(seen.resident).toBeGreaterThan(seen.inUse);
    expect(typeof seen.trim.released).toBe('number');
  }, 600_000);
});
