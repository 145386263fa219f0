#!/usr/bin/env node
// What `mallinfo attach` leaves in a target, measured: starts the stable
// HTTP server of test/fixtures/attach, reads its state from inside (after two
// full collections: active resources, process listeners, the package's
// modules in require.cache, V8 heap used), attaches N times for 2 s each,
// and prints the state after each detach and the descriptors added.
//
//   node scripts/attach-leftovers.mjs [--rounds=3] [--node=/path/to/node] [--mode=stable]
//
// --node runs the target under another Node binary (the CLI runs under this one).
// Build first (npx tsc -p tsconfig.json): the CLI is lib/cli/main.js.
import { execFileSync, spawn } from 'node:child_process';
import { readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(fileURLToPath(import.meta.url), '..', '..');
const option = (name, fallback) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
const rounds = Number(option('rounds', '3'));
const node = option('node', process.execPath);
const mode = option('mode', 'stable');

const target = spawn(node, ['--inspect-port=0', join(root, 'test', 'fixtures', 'attach', 'target.mjs')], {
  env: { ...process.env, MODE: mode, NODE_OPTIONS: '' },
  stdio: ['ignore', 'pipe', 'ignore'],
});
const { pid, port } = await new Promise((resolve) => target.stdout.once('data', (b) => resolve(JSON.parse(String(b).split('\n')[0]))));
const state = async () => (await fetch(`http://127.0.0.1:${port}/state`, { headers: { connection: 'close' } })).json();
const descriptors = () =>
  readdirSync(`/proc/${pid}/fd`)
    .map((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        return '?';
      }
    })
    .filter((link) => !link.startsWith('socket:'));

try {
  await new Promise((resolve) => setTimeout(resolve, 500));
  const before = await state();
  const fdsBefore = descriptors();
  const version = execFileSync(node, ['--version']).toString().trim();
  console.log(`target: Node ${version}, pid ${pid}, mode ${mode}; V8 heap used ${before.heapUsed} bytes`);
  console.log('round  heap used +bytes  resources same  listeners same  package modules left');
  for (let round = 1; round <= rounds; round++) {
    execFileSync(process.execPath, [join(root, 'lib', 'cli', 'main.js'), 'attach', String(pid), '--duration', '2s', '--interval', '100ms', '--quiet', '--json'], {
      stdio: 'ignore',
    });
    const after = await state();
    const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
    const modules = after.mallinfoModules.map((m) => m.slice(root.length + 1)).join(' ') || '-';
    console.log(
      `${String(round).padStart(5)}  ${String(after.heapUsed - before.heapUsed).padStart(16)}  ${String(same(after.resources, before.resources)).padStart(14)}  ${String(same(after.listeners, before.listeners)).padStart(14)}  ${modules}`,
    );
  }
  const added = descriptors().filter((link) => !fdsBefore.includes(link));
  console.log(`descriptors added: ${added.length === 0 ? 'none' : added.join(' ')}`);
} finally {
  target.kill();
}
