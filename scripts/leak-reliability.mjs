// `npm run leak-reliability`: runs expectNoLeak with its default options
// 100 times on each of four functions, each run in a fresh process, and
// counts how often the verdict is right. Not part of `npm test` (it takes
// minutes). RUNS=20 CONCURRENCY=2 node scripts/leak-reliability.mjs
import { execFile } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expectNoLeak, LeakError } from 'mallinfo/testing';

const KB = 1024;

/** The functions under test: each `make()` returns a fresh one. */
const cases = {
  'retains 1 KB of native memory per call': {
    leaks: true,
    make() {
      const kept = [];
      return () => kept.push(Buffer.alloc(KB));
    },
  },
  'retains 1 KB of JS objects per call': {
    leaks: true,
    make() {
      const kept = [];
      // An array of 126 doubles: a 1,008-byte FixedDoubleArray and its JSArray, ~1 KB of V8 heap.
      return () => kept.push(new Array(126).fill(0.5));
    },
  },
  'allocates and frees 1 MB per call': {
    leaks: false,
    make() {
      return () => Buffer.alloc(1024 * KB, 1).length;
    },
  },
  'grows a cache to 1,000 entries of 1 KB, then stops': {
    leaks: false,
    make() {
      const cache = new Map();
      let key = 0;
      return () => {
        if (cache.size < 1000) cache.set(key++, Buffer.alloc(KB));
        return cache.size;
      };
    },
  },
};

async function child(name) {
  const fn = cases[name].make();
  const started = performance.now();
  let leaked = false;
  let result;
  try {
    result = await expectNoLeak(fn);
  } catch (error) {
    if (!(error instanceof LeakError)) throw error;
    leaked = true;
    result = error;
  }
  const rates = result.bytesPerIteration;
  const attempts = result.attempts.length;
  console.log(JSON.stringify({ leaked, attempts, native: rates.native, v8: rates.v8, ms: performance.now() - started }));
}

const median = (v) => [...v].sort((a, b) => a - b)[v.length >> 1];
const f = (n) => n.toFixed(1);

async function main() {
  const runs = Number(process.env.RUNS ?? 100);
  const concurrency = Number(process.env.CONCURRENCY ?? Math.max(1, availableParallelism()));
  const run = promisify(execFile);
  const script = fileURLToPath(import.meta.url);
  console.log(`expectNoLeak, default options, ${runs} runs per function, each in a fresh process (${concurrency} at a time) — Node ${process.version}`);
  const started = performance.now();
  const jobs = Object.keys(cases).flatMap((name) => Array.from({ length: runs }, () => name));
  const results = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
  let next = 0;
  async function worker() {
    while (next < jobs.length) {
      const name = jobs[next++];
      const { stdout } = await run(process.execPath, [script, '--case', name], { maxBuffer: 1 << 20 });
      results[name].push(JSON.parse(stdout.trim().split('\n').pop()));
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  const wallS = (performance.now() - started) / 1000;
  const rows = Object.entries(results).map(([name, rs]) => {
    const right = rs.filter((r) => r.leaked === cases[name].leaks).length;
    const native = rs.map((r) => r.native);
    const v8 = rs.map((r) => r.v8);
    const ms = rs.map((r) => r.ms);
    return {
      function: name,
      expected: cases[name].leaks ? 'LeakError' : 'passes',
      'as expected': `${right}/${rs.length}`,
      'runs with 1/2/3 attempts': [1, 2, 3].map((n) => rs.filter((r) => r.attempts === n).length).join('/'),
      'native B/it (min…max)': `${f(Math.min(...native))} … ${f(Math.max(...native))}`,
      'V8 B/it (min…max)': `${f(Math.min(...v8))} … ${f(Math.max(...v8))}`,
      'ms per run (median, max)': `${median(ms).toFixed(0)}, ${Math.max(...ms).toFixed(0)}`,
    };
  });
  console.table(rows);
  console.log(`${jobs.length} runs in ${wallS.toFixed(1)} s wall time (rates are those of each run's last attempt).`);
  if (rows.some((r) => !r['as expected'].startsWith(`${runs}/`))) process.exitCode = 1;
}

const at = process.argv.indexOf('--case');
if (at !== -1) await child(process.argv[at + 1]);
else await main();
