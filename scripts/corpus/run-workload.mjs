// One run of one workload, in its own Node process (started by generate.mjs):
// set the workload up, probe, sample it for the run's duration while
// recording every garbage collection, probe again, trim, and report.
// Records go to the raw trace file as they happen (nothing is kept in this
// process's memory, so the recording does not change what is measured).
// Usage: node scripts/corpus/run-workload.mjs SPEC.json
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { constants, PerformanceObserver, performance } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import { Sampler, allocator, sample, trimSync } from 'mallinfo';
import { getGc } from '../../lib/testing/gc.js';
import { families } from './families/index.mjs';
import { probe } from './probe.mjs';
import { draws, seededRandom } from './random.mjs';
import { sleep } from './families/common.mjs';

const KINDS = {
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
};

const spec = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const family = families[spec.family];
if (!family) throw new Error(`unknown family ${spec.family}`);
const fd = openSync(spec.rawFile, 'w');
const write = (record) => writeSync(fd, `${JSON.stringify(record)}\n`);
const pid = process.pid;

const workload = await family.start(spec.params, { ...draws(seededRandom(spec.seed)), gc: getGc() });
const before = await probe(workload.collect);

write({
  type: 'process',
  pid,
  ppid: process.ppid,
  // Relative, so that no path of the machine that made the corpus is kept.
  argv: ['node', 'scripts/corpus/run-workload.mjs', spec.family],
  node: process.version,
  time: Date.now(),
  allocator: allocator(),
  allocatorEnv: Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('MALLOC_') || k === 'GLIBC_TUNABLES' || k === 'LD_PRELOAD')),
  error: null,
  warning: null,
});

let gcCount = 0;
const observer = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    gcCount++;
    write({
      type: 'gc',
      pid,
      time: performance.timeOrigin + entry.startTime + entry.duration,
      durationMs: entry.duration,
      kind: KINDS[entry.detail?.kind] ?? 'unknown',
      v8Used: getHeapStatistics().used_heap_size,
      inUse: sample().heap?.inUse ?? null,
    });
  }
});
observer.observe({ entryTypes: ['gc'] });
// With --collect-every, the Sampler runs full collections itself; their
// records (forced: true) are what its diagnose() takes as exact floors.
const sampler = new Sampler({ intervalMs: spec.intervalMs, history: 0, ...(spec.collectEveryMs ? { collectEveryMs: spec.collectEveryMs } : {}) });
sampler.on('collection', (c) => {
  if (c.forced) write({ type: 'gc', pid, ...c });
});
let samples = 0;
sampler.on('sample', (s) => {
  samples++;
  write({ type: 'sample', pid, sample: s });
});
const startedAt = Date.now();
sampler.start();
await workload.run(spec.durationMs);
sampler.stop();
const endedAt = Date.now();
// Let the observer deliver the entries of the run's last collections.
await sleep(50);
observer.disconnect();
closeSync(fd);

const after = await probe(workload.collect);
const trim = trimSync();
const built = workload.stats();
// Does the workload take the trimmed memory back at once (headroom), or does
// it stay returned (fragmentation)? Run on, unsampled, and read RSS again.
let rebound = null;
if (spec.continueMs > 0) {
  await (workload.continue ?? workload.run)(spec.continueMs);
  rebound = { rssAfterContinue: sample().process?.resident ?? null, continueMs: spec.continueMs };
}
await workload.close?.();
process.stdout.write(
  `CORPUS-RESULT ${JSON.stringify({ startedAt, endedAt, samples, gcs: gcCount, before, after, trim, built, rebound, node: process.version })}\n`,
);
process.exit(0);
