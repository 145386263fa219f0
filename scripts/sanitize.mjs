// `npm run test:asan`: builds the addon with AddressSanitizer and
// UndefinedBehaviorSanitizer in a scratch copy of the package, preloads the
// sanitizer runtimes into Node, and runs the workload (then UBSan alone over
// glibc's malloc, jemalloc and tcmalloc). `--valgrind` runs the
// normal build under valgrind memcheck instead. Exits non-zero on any report.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const workload = join(root, 'scripts', 'sanitizer-workload.cjs');
const { values } = parseArgs({ options: { valgrind: { type: 'boolean', default: false } } });

function run(command, args, env) {
  const result = spawnSync(command, args, { env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (result.error) throw result.error;
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

function fail(message, output) {
  console.error(output);
  console.error(`\n${message}`);
  process.exit(1);
}

if (values.valgrind) {
  // --jitless: V8's JIT writes code that memcheck cannot follow cheaply.
  const { status, output } = run('valgrind', ['--error-exitcode=99', '--leak-check=no', process.execPath, '--jitless', workload, root, '3000']);
  const summary = /ERROR SUMMARY: (\d+) errors/.exec(output);
  if (status !== 0 || !summary || summary[1] !== '0') fail(`valgrind memcheck: exit ${status}`, output);
  console.log(output.split('\n').filter((l) => /workload done|ERROR SUMMARY/.test(l)).join('\n'));
} else {
  const runtime = (name) => execFileSync('g++', [`-print-file-name=${name}`], { encoding: 'utf8' }).trim();
  const libraryPath = (soname) =>
    execFileSync('sh', ['-c', `PATH="$PATH:/sbin:/usr/sbin" ldconfig -p | awk '$1 == "${soname}" && /x86-64|AArch64/ { print $NF; exit }'`], {
      encoding: 'utf8',
    }).trim();
  // ASan replaces malloc itself, so the glibc/jemalloc/tcmalloc paths of the
  // addon only run under UBSan alone, with the real allocators underneath.
  const passes = [
    { name: 'ASan + UBSan', sanitize: 'address,undefined', preload: [runtime('libasan.so'), runtime('libubsan.so')] },
    { name: 'UBSan, glibc malloc', sanitize: 'undefined', preload: [runtime('libubsan.so')] },
    { name: 'UBSan, jemalloc', sanitize: 'undefined', preload: [runtime('libubsan.so'), libraryPath('libjemalloc.so.2')] },
    { name: 'UBSan, tcmalloc', sanitize: 'undefined', preload: [runtime('libubsan.so'), libraryPath('libtcmalloc_minimal.so.4')] },
  ];
  const builds = new Map();
  try {
    for (const pass of passes) {
      if (pass.preload.some((path) => path === '')) fail(`${pass.name}: a library to preload is missing (run .ci/run, which installs it)`, '');
      if (!builds.has(pass.sanitize)) builds.set(pass.sanitize, buildSanitized(pass.sanitize));
      const { status, output } = run(process.execPath, [workload, builds.get(pass.sanitize)], {
        LD_PRELOAD: pass.preload.join(':'),
        // Node itself is not built with LeakSanitizer in mind: leaks at exit are Node's.
        ASAN_OPTIONS: 'detect_leaks=0:abort_on_error=1',
        UBSAN_OPTIONS: 'halt_on_error=1:print_stacktrace=1',
      });
      if (status !== 0 || /AddressSanitizer|runtime error:/.test(output)) fail(`${pass.name}: exit ${status}`, output);
      console.log(`${pass.name}: 0 errors — ${output.trim().split('\n').pop()}`);
    }
  } finally {
    for (const dir of builds.values()) rmSync(dir, { recursive: true, force: true });
  }
}

/** Builds the addon with -fsanitize=`sanitize` in a scratch copy of the package; returns its directory. */
function buildSanitized(sanitize) {
  const scratch = mkdtempSync(join(tmpdir(), 'mallinfo-sanitize-'));
  for (const entry of ['package.json', 'binding.gyp', 'native', 'lib']) cpSync(join(root, entry), join(scratch, entry), { recursive: true });
  symlinkSync(join(root, 'node_modules'), join(scratch, 'node_modules'));
  const flags = `-fsanitize=${sanitize} -fno-sanitize-recover=all -fno-omit-frame-pointer -g`;
  execFileSync(process.execPath, [join(root, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'), 'rebuild'], {
    cwd: scratch,
    env: { ...process.env, CXXFLAGS: flags, CFLAGS: flags, LDFLAGS: `-fsanitize=${sanitize}` },
    stdio: 'ignore',
  });
  return scratch;
}
