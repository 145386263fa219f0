// trim() against trimSync() on the story heap (10,000 × 50 KB Buffers, 1 %
// kept, three rounds): what each releases, how long malloc_trim takes, and
// how many times a 1 ms timer fired meanwhile. The timer either does
// nothing or allocates a 64 KiB Buffer (a malloc from the main arena, which
// waits while malloc_trim holds that arena's lock).
import { trim, trimSync } from 'mallinfo';
import { collectAndSettle } from '../lib/testing/gc.js';
import { allocationRound } from '../examples/workloads/fragmentation.mjs';
import { printTable } from './measure.mjs';

const MB = 2 ** 20;

async function once(call, allocateBytes) {
  for (let round = 0; round < 3; round++) allocationRound();
  await collectAndSettle();
  let ticks = 0;
  let kept;
  const timer = setInterval(() => {
    ticks++;
    if (allocateBytes > 0) kept = Buffer.alloc(allocateBytes);
  }, 1);
  await new Promise((resolve) => setTimeout(resolve, 20));
  ticks = 0;
  const result = await call();
  const during = ticks;
  clearInterval(timer);
  return { result, ticks: during, kept };
}

export async function benchTrim() {
  const cases = [
    ['trim(), idle 1 ms timer', () => trim(), 0],
    ['trim(), timer allocating 64 KiB', () => trim(), 64 * 1024],
    ['trimSync(), idle 1 ms timer', () => trimSync(), 0],
  ];
  const rows = [];
  for (const [name, call, allocateBytes] of cases) {
    const { result, ticks } = await once(call, allocateBytes);
    rows.push([
      name,
      (result.rssBefore / MB).toFixed(0),
      (result.released / MB).toFixed(0),
      result.durationMs.toFixed(1),
      ticks,
    ]);
  }
  printTable(
    'malloc_trim on the story heap (3 rounds of 10,000 × 50 KB, 1 % kept)',
    ['call', 'RSS before MB', 'released MB', 'malloc_trim ms', 'timer ticks during'],
    rows,
  );
}
