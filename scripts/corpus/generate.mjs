#!/usr/bin/env node
// Builds the labelled corpus of real traces: runs workload families as
// real Node processes (one per run, at most --concurrency at once), checks
// each run's label against independent probes (verify.mjs), and writes the
// accepted traces and index.json. See README.md.
//   node scripts/corpus/generate.mjs [--family F[,G]] [--runs N] [--long N]
//        [--seed S] [--concurrency 3] [--out test/corpus] [--drop-mallinfo]
//        [--collect-every MS]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../..');

/** The workloads' own packages (express, fastify, …), installed here on first use; and `mallinfo` resolving to this repository. */
function ensureDependencies() {
  const wanted = Object.keys(JSON.parse(readFileSync(join(here, 'package.json'), 'utf8')).dependencies);
  if (wanted.some((name) => !existsSync(join(here, 'node_modules', name, 'package.json')))) {
    console.error('installing the workloads’ packages (npm install --prefix scripts/corpus)…');
    const r = spawnSync('npm', ['install', '--prefix', here, '--no-audit', '--no-fund'], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error('npm install --prefix scripts/corpus failed');
  }
  const link = join(here, 'node_modules', 'mallinfo');
  if (!existsSync(join(link, 'package.json'))) {
    rmSync(link, { force: true });
    symlinkSync(relative(dirname(link), repo), link);
  }
  if (!existsSync(join(repo, 'lib', 'index.js'))) throw new Error('lib/ is missing: build first (npx tsc -p tsconfig.json)');
}

const { values: opts } = parseArgs({
  options: {
    family: { type: 'string' },
    runs: { type: 'string', default: '40' },
    long: { type: 'string', default: '0' },
    seed: { type: 'string', default: '1' },
    concurrency: { type: 'string', default: '3' },
    out: { type: 'string', default: 'test/corpus' },
    'drop-mallinfo': { type: 'boolean', default: false },
    // The Sampler runs a full collection at most every N ms (collectEveryMs).
    'collect-every': { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
    // Shortens every run (for trying the generator out, not for the corpus).
    'duration-ms': { type: 'string' },
  },
});
const concurrency = Math.min(3, Math.max(1, Number(opts.concurrency)));
ensureDependencies();
const { families } = await import('./families/index.mjs');
const { plan } = await import('./plan.mjs');
const { verify } = await import('./verify.mjs');
const { buildTrace } = await import('./trace.mjs');

const familyNames = opts.family ? opts.family.split(',') : Object.keys(families);
for (const name of familyNames) if (!families[name]) throw new Error(`--family: unknown family ${name}; known: ${Object.keys(families).join(', ')}`);
const planned = plan({ seed: Number(opts.seed), runs: Number(opts.runs), longRuns: Number(opts.long), familyNames });
const collectEveryMs = opts['collect-every'] ? Number(opts['collect-every']) : undefined;
const runs = planned.map((r) => ({ ...r, ...(opts['duration-ms'] ? { durationMs: Number(opts['duration-ms']) } : {}), ...(collectEveryMs ? { collectEveryMs } : {}) }));
if (opts['dry-run']) {
  for (const r of runs) console.log(JSON.stringify(r));
  process.exit(0);
}

const outDir = resolve(opts.out);
const tracesDir = join(outDir, 'traces');
mkdirSync(tracesDir, { recursive: true });
const indexFile = join(outDir, 'index.json');
const mallinfoVersion = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')).version;
const index = existsSync(indexFile) ? JSON.parse(readFileSync(indexFile, 'utf8')) : { format: 'mallinfo-corpus', version: 1, traces: [], rejected: [] };
const scratch = join(tmpdir(), `mallinfo-corpus-${process.pid}`);
mkdirSync(scratch, { recursive: true });

const known = new Set([...index.traces.map((t) => `${t.family}:${t.seed}`), ...index.rejected.map((t) => `${t.family}:${t.seed}`)]);
const todo = runs.filter((r) => !known.has(`${r.family}:${r.seed}`));
const started = performance.now();
console.error(`${todo.length} runs (${runs.length - todo.length} already in the index), concurrency ${concurrency}`);

/** How fast the verified memory grew over the run, MiB a minute (what "a leak of ≥ 1 MB/min" is measured against). */
function growthMiBPerMinute(t) {
  const grew = t.label === 'v8-leak' ? t.verification.v8Growth : t.verification.inUseGrowth;
  return Number((grew / 1048576 / (t.durationMs / 60_000)).toFixed(2));
}

function saveIndex() {
  index.traces.sort((a, b) => a.file.localeCompare(b.file));
  for (const t of index.traces) t.growthMiBPerMinute ??= growthMiBPerMinute(t);
  const count = (list, key) => {
    const counts = {};
    for (const x of list) counts[x[key]] = (counts[x[key]] ?? 0) + 1;
    return Object.fromEntries(Object.entries(counts).sort());
  };
  index.counts = { traces: index.traces.length, byLabel: count(index.traces, 'label'), byFamily: count(index.traces, 'family'), rejectedByFamily: count(index.rejected, 'family') };
  index.generatedWith = 'node scripts/corpus/generate.mjs';
  // Written whole and renamed, so that a reader (or a commit) never sees half a file.
  writeFileSync(`${indexFile}.tmp`, `${JSON.stringify(index, null, 1)}\n`);
  renameSync(`${indexFile}.tmp`, indexFile);
}

/** Runs one workload process; resolves with its result line, or throws with its stderr. */
function runOne(spec) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [join(here, 'run-workload.mjs'), spec.specFile], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), spec.durationMs + spec.continueMs + 120_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = out.split('\n').find((l) => l.startsWith('CORPUS-RESULT '));
      if (code === 0 && line) resolvePromise(JSON.parse(line.slice('CORPUS-RESULT '.length)));
      else reject(new Error(`exit ${code ?? signal}: ${err.trim().split('\n').slice(-3).join(' | ')}`));
    });
  });
}

let done = 0;
async function handle(run, n) {
  const name = `${run.family}-${run.seed.toString(36)}`;
  const rawFile = join(scratch, `${name}.ndjson`);
  const specFile = join(scratch, `${name}.json`);
  writeFileSync(specFile, JSON.stringify({ ...run, rawFile }));
  const base = { family: run.family, label: run.label, seed: run.seed, params: run.params, intervalMs: run.intervalMs, durationMs: run.durationMs, ...(run.collectEveryMs ? { collectEveryMs: run.collectEveryMs } : {}) };
  let result;
  try {
    result = await runOne({ ...run, specFile });
  } catch (error) {
    index.rejected.push({ ...base, reason: `the run failed: ${error.message}` });
    console.error(`[${++done}/${todo.length}] ${name}: FAILED ${error.message}`);
    return;
  }
  const check = verify(run.label, result);
  const verification = { ...check.checks, before: result.before, after: result.after, trim: result.trim, built: result.built, rebound: result.rebound };
  if (!check.ok) {
    index.rejected.push({ ...base, reason: check.reason, verification, node: result.node });
  } else {
    const trace = buildTrace({ rawFile, spec: run, result, mallinfoVersion, dropMallinfo: opts['drop-mallinfo'] });
    const file = `traces/${name}.ndjson.gz`;
    writeFileSync(join(outDir, file), trace.gz);
    index.traces.push({ file, ...base, long: run.long ?? false, samples: trace.samples, gcs: trace.gcs, bytes: trace.gz.length, verification, node: result.node });
  }
  rmSync(rawFile, { force: true });
  rmSync(specFile, { force: true });
  saveIndex();
  const min = ((performance.now() - started) / 60_000).toFixed(1);
  console.error(`[${++done}/${todo.length} ${min} min] ${name} (${run.label}, ${run.durationMs / 1000} s): ${check.ok ? 'ok' : `REJECTED ${check.reason}`}`);
}

// Long runs first: they are the long pole of the whole batch.
const queue = [...todo].sort((a, b) => (b.long ? 1 : 0) - (a.long ? 1 : 0)).map((run, n) => () => handle(run, n));
await Promise.all(Array.from({ length: concurrency }, async () => {
  while (queue.length > 0) await queue.shift()();
}));
saveIndex();
rmSync(scratch, { recursive: true, force: true });
const counts = {};
for (const t of index.traces) counts[t.label] = (counts[t.label] ?? 0) + 1;
console.error(`done in ${((performance.now() - started) / 60_000).toFixed(1)} min; corpus: ${index.traces.length} traces ${JSON.stringify(counts)}, ${index.rejected.length} rejected`);
