// sample() and trim() cost as the number of free chunks grows: mallinfo2 and
// malloc_trim both walk every free chunk, holding the arena locks.
import { execFileSync } from 'node:child_process';
import { printTable } from './measure.mjs';

export function benchFreeChunks(counts = [1e3, 1e4, 1e5, 1e6]) {
  const fixture = new URL('./fixtures/free-chunks-cost.mjs', import.meta.url).pathname;
  const rows = counts.map((n) => {
    const out = execFileSync(process.execPath, ['--max-old-space-size=4096', fixture], {
      env: { ...process.env, FREE_CHUNKS: String(n) },
      encoding: 'utf8',
    });
    const r = JSON.parse(out.trim());
    return [n.toExponential(0), r.freeChunks, (r.sampleNs / 1e3).toFixed(1), r.trimMs.toFixed(1), (r.released / 2 ** 20).toFixed(1)];
  });
  printTable(
    'sample() and trimSync() cost by free chunks (fresh process each; 200-byte chunks, every other one freed)',
    ['free chunks asked', 'ordblks', 'sample() µs', 'trimSync() ms', 'trim released MB'],
    rows,
  );
  console.log('A Sampler keeps sampling under 1 % of wall time by lengthening its interval (maxCostShare, the slow event).');
}
