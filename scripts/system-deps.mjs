#!/usr/bin/env node
// The Debian packages the tests need beyond Node (allocators to preload,
// Chromium for the HTML report, promtool, go tool pprof, the arm64 cross
// toolchain and qemu, ...): installed with apt-get when missing, so that
// `npm install && npm test` needs nothing done by hand on a fresh Debian
// or Ubuntu machine. Runs before `npm test` (pretest), `npm run test:slow`
// and `npm run test:stress`, and from .ci/run.
//   node scripts/system-deps.mjs [--check]
// --check (or MALLINFO_SKIP_SYSTEM_DEPS=1) only lists what is missing. Not
// root, or no apt-get: says what to install and goes on; the tests that
// need a missing package then fail saying which.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** What each package provides, checked as a command on PATH or a shared library ldconfig knows. */
const NEEDS = [
  { pkg: 'binutils', command: 'objdump', why: 'symbol-version checks' },
  { pkg: 'procps', command: 'ps', why: 'an independent RSS' },
  { pkg: 'g++', command: 'g++', why: 'node-gyp' },
  { pkg: 'make', command: 'make', why: 'node-gyp' },
  { pkg: 'python3', command: 'python3', why: 'node-gyp' },
  { pkg: 'prometheus', command: 'promtool', why: 'validates the Prometheus exposition' },
  { pkg: 'util-linux', command: 'taskset', why: 'arena limit vs CPU affinity' },
  { pkg: 'bsdutils', command: 'script', why: "a pseudo-terminal for the CLI's live panel" },
  { pkg: 'libjemalloc2', library: 'libjemalloc.so.2', why: 'tests under jemalloc' },
  { pkg: 'libtcmalloc-minimal4', library: 'libtcmalloc_minimal.so.4', why: 'tests under tcmalloc' },
  { pkg: 'libmimalloc2.0', library: 'libmimalloc.so.2', why: 'an allocator mallinfo does not know' },
  { pkg: 'g++-aarch64-linux-gnu', command: 'aarch64-linux-gnu-g++', why: 'the arm64 prebuild' },
  { pkg: 'qemu-user-static', command: 'qemu-aarch64-static', why: 'the arm64 smoke test' },
  { pkg: 'chromium', command: 'chromium', why: "opens the CLI's HTML report" },
  { pkg: 'golang-go', command: 'go', why: 'go tool pprof reads the attribution profiles' },
];

const SBIN = ['/usr/local/sbin', '/usr/sbin', '/sbin'];
const searchPath = [...(process.env.PATH ?? '').split(delimiter), ...SBIN].filter(Boolean);
const onPath = (command) => searchPath.some((dir) => existsSync(join(dir, command)));

let libraries = null;
function hasLibrary(soname) {
  if (libraries === null) {
    const ldconfig = SBIN.map((d) => join(d, 'ldconfig')).find((p) => existsSync(p)) ?? 'ldconfig';
    libraries = spawnSync(ldconfig, ['-p'], { encoding: 'utf8' }).stdout ?? '';
  }
  return libraries.split('\n').some((line) => line.trim().startsWith(`${soname} (`));
}

const missing = NEEDS.filter((n) => (n.command ? !onPath(n.command) : !hasLibrary(n.library)));
if (missing.length === 0) process.exit(0);

const list = missing.map((n) => n.pkg).join(' ');
const say = (line) => console.error(`system-deps: ${line}`);
say(`missing Debian packages: ${missing.map((n) => `${n.pkg} (${n.why})`).join(', ')}`);
const checkOnly = process.argv.includes('--check') || process.env.MALLINFO_SKIP_SYSTEM_DEPS === '1';
const root = typeof process.getuid === 'function' && process.getuid() === 0;
if (checkOnly || !root || !onPath('apt-get')) {
  say(`not installing them (${checkOnly ? 'asked not to' : !root ? 'not root' : 'no apt-get'}): apt-get install ${list}; the tests that need them will say so`);
  process.exit(0);
}
const apt = (args) => spawnSync('apt-get', args, { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status === 0;
say(`installing ${list}`);
if (!apt(['update', '-qq']) || !apt(['install', '-y', '-qq', '--no-install-recommends', ...missing.map((n) => n.pkg)])) {
  say(`apt-get failed: install them by hand (apt-get install ${list})`);
  process.exit(1);
}
