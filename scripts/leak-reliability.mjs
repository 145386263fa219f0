// `npm run leak-reliability`: runs expectNoLeak on each real path of
// scripts/leak-paths (HTTP, fetch, TLS, zlib, fs, worker, crypto), clean and
// leaking 1, 10 or 100 KB per call in the C heap or in V8's, RUNS times
// each (default 30), every run in a fresh process, CONCURRENCY at a time
// (default 2), and prints false positives, false negatives and the time per
// check. Filters: PATHS and VARIANTS (comma-separated names).
//   RUNS=5 PATHS='http agent:false,fetch' node scripts/leak-reliability.mjs
// One check alone, printing its result as JSON:
//   node scripts/leak-reliability.mjs --path fetch --variant 'native 10 KB'
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { applies, paths, prepare, variants } from './leak-paths/index.mjs';

async function child(pathName, variantName) {
  const { expectNoLeak, LeakError } = await import('mallinfo/testing');
  const { fn, options, close } = await prepare(pathName, variantName);
  const started = performance.now();
  let result;
  let leaked = false;
  try {
    result = await expectNoLeak(fn, options);
  } catch (error) {
    if (!(error instanceof LeakError)) throw error;
    leaked = true;
    result = error;
  }
  const ms = performance.now() - started;
  await close();
  const rates = result.bytesPerIteration;
  console.log(
    JSON.stringify({
      leaked,
      kind: leaked ? result.kind : null,
      ms,
      attempts: result.attempts.map((a) => `${a.role === 'warmup' ? 'w' : ''}${a.iterations}`).join(' '),
      // Per attempt: native and V8 bytes per call, whole (first half → last half).
      rates: result.attempts.map((a) => {
        const r = (x) => (x === null ? null : Math.round(x));
        return `${r(a.bytesPerIteration.native)} (${r(a.firstHalf.native)}→${r(a.lastHalf.native)}) / ${r(a.bytesPerIteration.v8)} (${r(a.firstHalf.v8)}→${r(a.lastHalf.v8)})`;
      }),
      native: rates.native,
      v8: rates.v8,
      warmup: result.warmup,
      waits: { readings: result.waits.readings, collections: result.waits.collections, closed: result.waits.closed, stillOpen: result.waits.stillOpen, ioWaitMs: Math.round(result.waits.ioWaitMs), collectMs: Math.round(result.waits.collectMs) },
    }),
  );
}

const median = (v) => [...v].sort((a, b) => a - b)[v.length >> 1];
const list = (value, all) => (value ? value.split(',').map((s) => s.trim()) : all);

async function main() {
  const runs = Number(process.env.RUNS ?? 30);
  const concurrency = Number(process.env.CONCURRENCY ?? 2);
  const pathNames = list(process.env.PATHS, Object.keys(paths));
  const variantNames = list(process.env.VARIANTS, Object.keys(variants));
  for (const name of pathNames) if (!(name in paths)) throw new RangeError(`PATHS: unknown path ${JSON.stringify(name)}; known: ${Object.keys(paths).join(', ')}`);
  for (const name of variantNames) if (!(name in variants)) throw new RangeError(`VARIANTS: unknown variant ${JSON.stringify(name)}; known: ${Object.keys(variants).join(', ')}`);
  const cases = pathNames.flatMap((p) => variantNames.filter((v) => applies(p, v)).map((v) => [p, v]));
  const run = promisify(execFile);
  const script = fileURLToPath(import.meta.url);
  console.log(`expectNoLeak on real paths: ${runs} runs per case, each in a fresh process, ${concurrency} at a time — Node ${process.version}`);
  const started = performance.now();
  // Interleaved (case after case, run after run), so that a burst of load on the machine spreads over every case.
  const jobs = Array.from({ length: runs }, () => cases).flat();
  const results = new Map(cases.map(([p, v]) => [`${p}\0${v}`, []]));
  let next = 0;
  let done = 0;
  async function worker() {
    while (next < jobs.length) {
      const [p, v] = jobs[next++];
      let record;
      try {
        const { stdout } = await run(process.execPath, [script, '--path', p, '--variant', v], { maxBuffer: 1 << 20, timeout: 120_000 });
        record = JSON.parse(stdout.trim().split('\n').pop());
      } catch (error) {
        record = { error: String(error.stderr || error.message).trim().split('\n').slice(-3).join(' ') };
      }
      results.get(`${p}\0${v}`).push(record);
      if (++done % 20 === 0) process.stderr.write(`${done}/${jobs.length} checks, ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  const rows = cases.map(([p, v]) => {
    const rs = results.get(`${p}\0${v}`);
    const ok = rs.filter((r) => r.error === undefined);
    const leaks = variants[v].leaks;
    const wrong = ok.filter((r) => r.leaked !== leaks).length;
    const ms = ok.map((r) => r.ms);
    const row = {
      path: p,
      variant: v,
      'false positives': leaks ? '' : `${wrong}/${ok.length}`,
      'false negatives': leaks ? `${wrong}/${ok.length}` : '',
      'median s': ms.length ? (median(ms) / 1000).toFixed(2) : '',
      'max s': ms.length ? (Math.max(...ms) / 1000).toFixed(2) : '',
      'warm-up added (max)': ok.length ? String(Math.max(...ok.map((r) => r.warmup.extended))) : '',
    };
    if (ok.length < rs.length) row.errors = `${rs.length - ok.length}: ${rs.find((r) => r.error).error}`;
    return row;
  });
  printTable(rows);
  console.log(`${jobs.length} checks in ${((performance.now() - started) / 1000).toFixed(0)} s wall time.`);
  const failed = rows.some((r, i) => {
    const [, v] = cases[i];
    const size = /(\d+) KB/.exec(v);
    const mustCatch = variants[v].leaks && size !== null && Number(size[1]) >= 10;
    const wrong = Number((r['false positives'] || r['false negatives']).split('/')[0]);
    return r.errors !== undefined || ((!variants[v].leaks || mustCatch) && wrong > 0);
  });
  if (failed) process.exitCode = 1;
}

/** A plain-text table, columns padded: readable in a terminal and pasteable in Markdown-ish notes. */
function printTable(rows) {
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cells = [keys, ...rows.map((r) => keys.map((k) => String(r[k] ?? '')))];
  const widths = keys.map((_, i) => Math.max(...cells.map((c) => c[i].length)));
  for (const c of cells) console.log(c.map((cell, i) => cell.padEnd(widths[i])).join(' | '));
}

const at = process.argv.indexOf('--path');
if (at !== -1) await child(process.argv[at + 1], process.argv[process.argv.indexOf('--variant') + 1]);
else await main();
