// What attribution costs. (1) The pause of one heap snapshot (two full GCs
// and V8's snapshot), by V8 heap size, per 100 MB of heap, with the
// snapshot's size and the peak RSS of the process taking it; and one whole
// in-process report (snapshot + parse + diff). (2) HTTP throughput of the
// bench server alone, under `mallinfo run`, under `--attribute` (sampling
// heap profiler and an inspector session running; the baseline snapshot is
// taken during the warm-up, none during the measured load) and under
// `--attribute-native` (jemalloc with its heap profiler, against jemalloc
// without it). Snapshots are taken only where this bench asks for them.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { median, printTable } from './measure.mjs';
import { measure } from './cli.mjs';

const root = join(import.meta.dirname, '..');
const heapScript = join(root, 'bench', 'fixtures', 'attribution-heap.mjs');
const server = join(root, 'bench', 'http-server.mjs');
const cli = join(root, 'lib', 'cli', 'main.js');
const SIZES_MB = (process.env.BENCH_ATTRIBUTION_MB ?? '25,50').split(',').map(Number);
const ROUNDS = Number(process.env.BENCH_ATTRIBUTION_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_CLI_SECONDS ?? 3);

/** Runs one trial in a fresh process; returns its JSON line. */
function trial(args) {
  const out = execFileSync(process.execPath, [heapScript, ...args], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split('\n').pop());
}

function benchSnapshotPause() {
  const rows = [];
  for (const mb of SIZES_MB) {
    const r = trial([String(mb)]);
    const heapMb = r.heapBytes / 2 ** 20;
    rows.push([
      heapMb.toFixed(0),
      r.pauseMs.toFixed(0),
      ((r.pauseMs / heapMb) * 100).toFixed(0),
      r.cpuMs.toFixed(0),
      ((r.cpuMs / heapMb) * 100).toFixed(0),
      (r.snapshotBytes / 2 ** 20).toFixed(0),
      (r.peakRssBytes / 2 ** 20).toFixed(0),
    ]);
  }
  printTable(
    'Heap snapshot pause (two full GCs + v8.writeHeapSnapshot, read back; heap of small objects, fresh process per size)',
    ['V8 heap MB', 'pause ms', 'pause ms per 100 MB', 'CPU ms (all threads)', 'CPU ms per 100 MB', 'snapshot MB', 'peak RSS MB'],
    rows,
  );
  const r = trial([String(SIZES_MB[0]), 'analyze']);
  printTable(
    'One in-process report (HeapAttribution.report(): snapshot, JSON.parse, diff against the baseline)',
    ['V8 heap MB', 'snapshot pause ms', 'whole report ms', 'peak RSS MB'],
    [[(r.heapBytes / 2 ** 20).toFixed(0), r.pauseMs.toFixed(0), r.reportMs.toFixed(0), (r.peakRssBytes / 2 ** 20).toFixed(0)]],
  );
}

function jemallocPath() {
  const listing = execFileSync('ldconfig', ['-p'], { encoding: 'utf8', env: { ...process.env, PATH: `${process.env.PATH}:/usr/sbin:/sbin` } });
  return /libjemalloc\.so\.2 \([^)]*x86-64[^)]*\) => (\S+)/.exec(listing)?.[1] ?? null;
}

async function benchThroughput() {
  const run = (...options) => [cli, 'run', '--interval', '1s', '--quiet', ...options, '--', process.execPath, server];
  const variants = [
    { name: 'node http-server.mjs', args: [server] },
    { name: 'mallinfo run', args: run() },
    { name: 'mallinfo run --attribute', args: run('--attribute', '--attribute-baseline', '100ms') },
  ];
  const jemalloc = jemallocPath();
  if (jemalloc !== null) {
    variants.push(
      { name: 'jemalloc: mallinfo run', args: run(), env: { LD_PRELOAD: jemalloc } },
      { name: 'jemalloc: mallinfo run --attribute-native', args: run('--attribute-native', '--attribute-baseline', '100ms') },
    );
  }
  const runs = variants.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (let k = 0; k < variants.length; k++) {
      const i = (round + k) % variants.length;
      runs[i].push(await measure(variants[i]));
    }
  }
  const relative = (i, base) => median(runs[i].map((x, r) => x.perSecond / runs[base][r].perSecond));
  printTable(
    `HTTP server under load with attribution on (autocannon, 10 connections; ${ROUNDS} rounds of ${SECONDS} s, medians; % within each round)`,
    ['server', 'req/s', 'CPU µs/request', '% of alone', '% of mallinfo run', '% of same allocator'],
    variants.map((v, i) => [
      v.name,
      median(runs[i].map((x) => x.perSecond)).toFixed(0),
      median(runs[i].map((x) => x.cpuPerRequest)).toFixed(1),
      (relative(i, 0) * 100).toFixed(1),
      (relative(i, 1) * 100).toFixed(1),
      // --attribute-native against jemalloc without profiling; the glibc ones against mallinfo run.
      (relative(i, i >= 3 ? 3 : 1) * 100).toFixed(1),
    ]),
  );
}

export async function benchAttribution() {
  benchSnapshotPause();
  await benchThroughput();
}

if (process.argv[1] === import.meta.filename) await benchAttribution();
