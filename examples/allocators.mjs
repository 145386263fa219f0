// `npm run demo:allocators`: the demo's workload (rounds of 10,000 × 50 KB
// Buffers, 1 % kept) under glibc and under Debian's jemalloc and tcmalloc,
// each LD_PRELOADed into its own Node process; one table compares what each
// allocator reports, and what its trim gives back.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const MB = 1024 * 1024;
const mb = (bytes) => (bytes === null || bytes === undefined ? 'n/a' : `${(bytes / MB).toFixed(1)} MB`);
const PRELOADS = { glibc: null, jemalloc: 'libjemalloc.so.2', tcmalloc: 'libtcmalloc_minimal.so.4' };

async function child() {
  const { allocator, sample, trimSync } = await import('mallinfo');
  const { collectAndSettle } = await import('../lib/testing/gc.js');
  const { allocationRound } = await import('./workloads/fragmentation.mjs');
  const rounds = Number(process.env.ROUNDS ?? 3);
  for (let round = 0; round < rounds; round++) allocationRound();
  await collectAndSettle();
  const before = sample();
  const trim = trimSync();
  const after = sample();
  console.log(JSON.stringify({ info: allocator(), before, trim, after }));
}

/** The library's path from the dynamic linker's cache, or null. */
function libraryPath(soname) {
  const listing = spawnSync('sh', ['-c', 'ldconfig -p || /sbin/ldconfig -p'], { encoding: 'utf8' }).stdout ?? '';
  const line = listing.split('\n').find((l) => l.trim().startsWith(`${soname} `));
  return line ? line.split(' => ')[1].trim() : null;
}

function parent() {
  const rows = [];
  for (const [name, soname] of Object.entries(PRELOADS)) {
    const preload = soname === null ? null : libraryPath(soname);
    if (soname !== null && preload === null) {
      console.log(`${name}: ${soname} is not installed (Debian: apt-get install ${name === 'jemalloc' ? 'libjemalloc2' : 'libtcmalloc-minimal4'})`);
      continue;
    }
    const run = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child'], {
      encoding: 'utf8',
      env: { ...process.env, ...(preload ? { LD_PRELOAD: preload } : {}) },
      maxBuffer: 64 * MB,
    });
    if (run.status !== 0) throw new Error(`${name}: ${run.stderr}`);
    const { info, before, trim, after } = JSON.parse(run.stdout.trim().split('\n').pop());
    rows.push({
      allocator: `${info.kind} ${(info.version ?? '').replace(/^gperftools /, '').split('-')[0]}`,
      'RSS': mb(before.process?.resident),
      'in use': mb(before.heap?.inUse),
      'free': mb(before.heap?.free),
      'mapped': mb(before.heap?.mapped),
      'sample cost': `${(before.costNs / 1000).toFixed(0)} µs`,
      'trim released': mb(trim.released),
      'RSS after trim': mb(after.process?.resident),
      'trim took': `${trim.durationMs.toFixed(0)} ms`,
    });
  }
  console.log(`Node ${process.version}: ${process.env.ROUNDS ?? 3} rounds of 10,000 × 50 KB Buffers, 1 % kept, then trimSync()`);
  console.table(rows);
}

if (process.argv.includes('--child')) await child();
else parent();
