#!/usr/bin/env node
// `npm run prebuilds`: N-API prebuilds for Linux x64 and arm64 (glibc), with
// prebuildify. The architecture this machine is not gets cross-compiled
// with Debian's cross toolchain (g++-aarch64-linux-gnu on x64 hosts,
// g++-x86-64-linux-gnu on arm64 hosts). The host's own build runs last and
// is copied back to build/Release (prebuildify moves it away), so the
// checkout keeps a local build this machine can load.
//
// Output: prebuilds/linux-x64/mallinfo.glibc.node and
//         prebuilds/linux-arm64/mallinfo.glibc.node
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const prebuildify = join(dirname(require.resolve('prebuildify/package.json')), 'bin.js');

/** Debian's GNU triplet and cross-compiler package per Node architecture. */
const TARGETS = {
  arm64: { triplet: 'aarch64-linux-gnu', debianPackage: 'g++-aarch64-linux-gnu' },
  x64: { triplet: 'x86_64-linux-gnu', debianPackage: 'g++-x86-64-linux-gnu' },
};

function hasCommand(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

function build(arch) {
  // JOBS: node-gyp compiles the sources in parallel.
  const env = { JOBS: 'max', ...process.env };
  if (arch !== process.arch) {
    const { triplet, debianPackage } = TARGETS[arch];
    if (!hasCommand(`${triplet}-g++`)) {
      throw new Error(`${triplet}-g++ not found: install Debian's ${debianPackage} to cross-build the ${arch} prebuild (bash .ci/run installs it)`);
    }
    Object.assign(env, {
      CC: `${triplet}-gcc`,
      CXX: `${triplet}-g++`,
      LINK: `${triplet}-g++`,
      AR: `${triplet}-ar`,
      // The host's strip cannot read a foreign ELF.
      PREBUILD_STRIP_BIN: `${triplet}-strip`,
    });
  }
  console.log(`prebuild: linux-${arch}${arch === process.arch ? '' : ` (cross-compiled with ${env.CXX})`}`);
  execFileSync(process.execPath, [prebuildify, '--napi', '--strip', '--tag-libc', '--arch', arch], {
    cwd: root,
    env,
    stdio: 'inherit',
  });
}

const archs = Object.keys(TARGETS);
if (!archs.includes(process.arch)) throw new Error(`prebuild runs on x64 or arm64 Linux, not ${process.arch}`);
for (const arch of archs.filter((a) => a !== process.arch)) build(arch);
build(process.arch);
copyFileSync(
  join(root, 'prebuilds', `linux-${process.arch}`, 'mallinfo.glibc.node'),
  join(root, 'build', 'Release', 'mallinfo.node'),
);
