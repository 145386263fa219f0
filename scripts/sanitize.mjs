// `npm run test:asan`: builds the addon with AddressSanitizer and
// UndefinedBehaviorSanitizer in a scratch copy of the package, preloads the
// sanitizer runtimes into Node, and runs the workload. `--valgrind` runs the
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
  const scratch = mkdtempSync(join(tmpdir(), 'mallinfo-asan-'));
  try {
    for (const entry of ['package.json', 'binding.gyp', 'native', 'lib']) cpSync(join(root, entry), join(scratch, entry), { recursive: true });
    symlinkSync(join(root, 'node_modules'), join(scratch, 'node_modules'));
    const flags = '-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -g';
    execFileSync(process.execPath, [join(root, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'), 'rebuild'], {
      cwd: scratch,
      env: { ...process.env, CXXFLAGS: flags, CFLAGS: flags, LDFLAGS: '-fsanitize=address,undefined' },
      stdio: 'ignore',
    });
    const runtime = (name) => execFileSync('g++', [`-print-file-name=${name}`], { encoding: 'utf8' }).trim();
    const { status, output } = run(process.execPath, [workload, scratch], {
      LD_PRELOAD: `${runtime('libasan.so')}:${runtime('libubsan.so')}`,
      // Node itself is not built with LeakSanitizer in mind: leaks at exit are Node's.
      ASAN_OPTIONS: 'detect_leaks=0:abort_on_error=1',
      UBSAN_OPTIONS: 'halt_on_error=1:print_stacktrace=1',
    });
    if (status !== 0 || /AddressSanitizer|runtime error:/.test(output)) fail(`ASan/UBSan: exit ${status}`, output);
    console.log(output.trim());
    console.log('ASan + UBSan: 0 errors');
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
