// Packing and installing the package the way a user gets it, shared by the
// tests (test/prebuild.test.ts) and the Node matrix's arm64 smoke test.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
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
