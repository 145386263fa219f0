// What a Sampler's collectEveryMs costs: the pause of its collection (two
// full GCs in a row) by V8 heap size, against one full GC (what V8 itself
// runs from time to time), per 10 MB of heap, in a fresh process per size.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { printTable } from './measure.mjs';

const script = join(import.meta.dirname, 'fixtures', 'collect-pause.mjs');
const SIZES_MB = (process.env.BENCH_COLLECT_MB ?? '10,50,200').split(',').map(Number);

export function benchCollect() {
  const rows = SIZES_MB.map((mb) => {
    const r = JSON.parse(execFileSync(process.execPath, [script, String(mb)], { encoding: 'utf8' }).trim().split('\n').pop());
    const heapMb = r.heapBytes / 2 ** 20;
    return [heapMb.toFixed(0), r.oneMs.toFixed(1), r.twoMs.toFixed(1), ((r.twoMs / heapMb) * 10).toFixed(2), (r.twoMs / r.oneMs).toFixed(2)];
  });
  printTable(
    "collectEveryMs: the pause of the Sampler's own collection (two full GCs) by heap size (small objects + 20 MB of Buffers; medians of 9)",
    ['V8 heap MB', 'one full GC ms', 'collectEveryMs pause ms', 'ms per 10 MB', 'ratio to one GC'],
    rows,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) benchCollect();
