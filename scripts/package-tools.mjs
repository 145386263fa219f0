// Packing and installing the package the way a user gets it, shared by the
// slow suite (test/packed-package.setup.ts, test/prebuild.test.ts,
// test/pack-install.test.ts) and the Node matrix (its Node binaries from the
// npm registry, its arm64 smoke test).
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** npm flags for quiet, registry-light installs in scratch projects. */
export const NPM_QUIET = ['--no-audit', '--no-fund', '--prefer-offline', '--no-package-lock'];

/**
 * Copies what the package is built and packed from into `dir` (with the
 * checkout's node_modules linked in) and runs `npm run prebuilds` there, so
 * that the checkout's own build/ is left alone. Returns the copy's path.
 */
export function stagePrebuiltPackage(dir) {
  for (const entry of ['package.json', 'binding.gyp', 'native', 'lib', 'scripts', 'README.md']) {
    cpSync(join(root, entry), join(dir, entry), { recursive: true });
  }
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  execFileSync(process.execPath, ['scripts/prebuild.mjs'], { cwd: dir, stdio: 'pipe' });
  return dir;
}

/**
 * Copies the package's sources into `dir` (with the checkout's node_modules
 * linked in), without build/ or prebuilds/, and runs a plain `npm pack` there:
 * its `prepare` (tsc) and `prepack` (scripts/prebuild.mjs) scripts run as
 * for a release. Returns the tarball's path (in `destination`).
 */
export function packFromSource(dir, destination) {
  for (const entry of ['package.json', 'binding.gyp', 'native', 'src', 'tsconfig.json', 'scripts', 'assets', 'README.md', 'LICENSE']) {
    cpSync(join(root, entry), join(dir, entry), { recursive: true });
  }
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  // prebuild.mjs copies the host's prebuild back into build/Release.
  mkdirSync(join(dir, 'build', 'Release'), { recursive: true });
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', destination], {
    cwd: dir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
  // npm prints the scripts' output before the JSON array.
  return join(destination, JSON.parse(out.slice(out.indexOf('\n[') + 1))[0].filename);
}

/** Where the Node binaries from the npm registry are kept: $MALLINFO_NODE_CACHE, else ~/.cache/mallinfo-node-matrix. */
export const nodeCache = process.env.MALLINFO_NODE_CACHE ?? join(homedir(), '.cache', 'mallinfo-node-matrix');

/**
 * Installs `node-linux-<arch>@<major>` from the npm registry into the cache
 * (once) and returns the package directory (bin/node, include/node).
 */
export function nodePackage(arch, major) {
  const name = `node-linux-${arch}`;
  const prefix = join(nodeCache, `${arch}-${major}`);
  const dir = join(prefix, 'node_modules', name);
  if (!existsSync(join(dir, 'bin', 'node'))) {
    mkdirSync(prefix, { recursive: true });
    console.log(`installing ${name}@${major} into ${prefix}`);
    // --force: npm refuses a package whose "cpu" is not this machine's.
    const flags = arch === process.arch ? [] : ['--force'];
    const npm = spawnSync('npm', ['install', '--prefix', prefix, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', ...flags, `${name}@${major}`], {
      encoding: 'utf8',
    });
    if (npm.status !== 0) throw new Error(`npm install ${name}@${major} failed:\n${npm.stderr}`);
  }
  return dir;
}

/** The Debian sysroot qemu-aarch64-static needs for an arm64 Node (from g++-aarch64-linux-gnu's libc). */
export const ARM64_SYSROOT = '/usr/aarch64-linux-gnu';

/** `npm pack` of the package in `dir` into `destination`; returns the tarball's path. */
export function pack(dir, destination) {
  const out = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', destination], {
    cwd: dir,
    encoding: 'utf8',
  });
  return join(destination, JSON.parse(out)[0].filename);
}

/** An empty npm project at `dir`. */
export function emptyProject(dir) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
  return dir;
}

/** `npm install <tarball>` in `project`; returns spawnSync's result (status, stdout, stderr). */
export function installTarball(tarball, project, env = {}) {
  return spawnSync('npm', ['install', ...NPM_QUIET, tarball], {
    cwd: project,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 300_000,
  });
}

/**
 * A `node -e` script that requires the installed package and prints, as
 * JSON, which binary node-gyp-build chose and what a sample and a trim saw.
 */
export const LOAD_AND_SAMPLE = [
  "const m = require('mallinfo');",
  "const dir = require('path').dirname(require.resolve('mallinfo/package.json'));",
  'const s = m.sample();',
  'console.log(JSON.stringify({ arch: process.arch, node: process.version,',
  "  binary: require('node-gyp-build').path(dir), allocator: m.allocator(),",
  '  inUse: s.heap && s.heap.inUse, free: s.heap && s.heap.free, resident: s.process && s.process.resident,',
  '  trim: m.trimSync() }));',
].join('\n');
