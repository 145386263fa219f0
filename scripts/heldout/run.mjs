#!/usr/bin/env node
// Runs the held-out workloads (workloads.mjs), each in a fresh process
// under a Sampler, and prints what diagnose() said of each against its
// label and the growth measured after gc(). See README.md.
//   node scripts/heldout/run.mjs [--repeat 2] [--intervals 1000,500] [--duration-ms 40000] [--collect-every MS] [name…]
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../..');
const exec = promisify(execFile);

const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    repeat: { type: 'string', default: '2' },
    intervals: { type: 'string', default: '1000,500' },
    'duration-ms': { type: 'string', default: '40000' },
    // The Sampler's collectEveryMs (0: none).
    'collect-every': { type: 'string', default: '0' },
  },
});

// The workloads' packages, installed here on first use; `mallinfo` resolving to this repository.
const { dependencies } = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8'));
if (Object.keys(dependencies).some((name) => !existsSync(join(here, 'node_modules', name, 'package.json')))) {
  console.error('installing the held-out workloads’ packages (npm install --prefix scripts/heldout)…');
  if (spawnSync('npm', ['install', '--prefix', here, '--no-audit', '--no-fund'], { stdio: 'inherit' }).status !== 0) process.exit(1);
}
const link = join(here, 'node_modules', 'mallinfo');
if (!existsSync(join(link, 'package.json'))) {
  rmSync(link, { force: true });
  symlinkSync(relative(dirname(link), repo), link);
}

const { workloads } = await import('./workloads.mjs');
const names = positionals.length > 0 ? positionals : Object.keys(workloads);
const runs = [];
for (let r = 0; r < Number(opts.repeat); r++) for (const ms of opts.intervals.split(',').map(Number)) for (const name of names) runs.push({ name, ms });

/** Whether the growth measured after gc() agrees with the label (the run is judged only if it does). */
function labelHolds(w, grew) {
  // Without allocator statistics (grew.inUse null) nothing confirms a label that rests on in-use.
  if (grew.inUse === null && (w.label === 'stable' || w.leaks === 'inUse')) return false;
  if (w.label === 'stable') return grew.inUse <= w.bound.inUse && grew.v8 <= w.bound.v8;
  return grew[w.leaks] !== null && grew[w.leaks] >= 1;
}

const results = [];
let next = 0;
async function worker() {
  while (next < runs.length) {
    const { name, ms } = runs[next++];
    const { stdout } = await exec(process.execPath, ['--expose-gc', join(here, 'run-one.mjs'), name, String(ms), opts['duration-ms'], opts['collect-every']], { timeout: Number(opts['duration-ms']) + 60_000 });
    const r = JSON.parse(stdout.trim().split('\n').pop());
    r.labelHolds = labelHolds(workloads[name], r.grewMiB);
    results.push(r);
    const outcome = !r.labelHolds ? 'label not confirmed' : r.verdict === r.label ? 'right' : r.verdict === 'insufficient-data' ? 'open' : 'WRONG';
    console.error(`${name} @${ms} ms: ${r.verdict} ${r.confidence.toFixed(2)} (${r.label}; grew ${r.grewMiB.inUse === null ? 'unknown' : r.grewMiB.inUse.toFixed(1)} MiB in use, ${r.grewMiB.v8.toFixed(1)} MiB V8, ${r.grewMiB.external.toFixed(1)} MiB external, ${r.grewMiB.anonymous === null ? 'unknown' : r.grewMiB.anonymous.toFixed(1)} MiB anonymous RSS after gc): ${outcome}`);
  }
}
await Promise.all([worker(), worker()]);

const judged = results.filter((r) => r.labelHolds);
const count = (f) => judged.filter(f).length;
const right = count((r) => r.verdict === r.label);
const open = count((r) => r.verdict === 'insufficient-data');
console.log(`\n${results.length} runs, ${judged.length} with their label confirmed by gc(): right ${right}, no verdict yet ${open}, wrong ${judged.length - right - open}`);
for (const r of judged.filter((x) => x.verdict !== x.label && x.verdict !== 'insufficient-data')) console.log(`  wrong: ${r.name} @${r.intervalMs} ms → ${r.verdict} ${r.confidence.toFixed(2)}: ${r.summary}`);
