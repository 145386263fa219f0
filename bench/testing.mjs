// What a leak check costs: expectNoLeak and measure on a 1 µs function with
// default options (target: expectNoLeak under 2 s), and the settled reading
// they take between rounds, where nearly all of that time goes.
import { expectNoLeak, measure } from 'mallinfo/testing';
import { collectAndSettle } from '../lib/testing/gc.js';
import { printTable } from './measure.mjs';

/** Busy for 1 µs, allocating nothing. */
function oneMicrosecond() {
  const end = performance.now() + 0.001;
  while (performance.now() < end);
}

async function timeRuns(runs, run) {
  const ms = [];
  let detail;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    detail = await run();
    ms.push(performance.now() - started);
  }
  ms.sort((a, b) => a - b);
  return { median: ms[ms.length >> 1], max: ms[ms.length - 1], detail };
}

export async function benchTesting({ runs = 5 } = {}) {
  const check = await timeRuns(runs, () => expectNoLeak(oneMicrosecond));
  const measured = await timeRuns(runs, () => measure(oneMicrosecond));
  const settle = await timeRuns(runs * 4, () => collectAndSettle());
  const attempts = check.detail.attempts;
  const rows = [
    [
      'expectNoLeak(1 µs fn), default options',
      check.median.toFixed(0),
      check.max.toFixed(0),
      `${attempts.length} × ${attempts[0].rounds} rounds, ${check.detail.iterations} calls + 100 warm-up`,
      '< 2000',
    ],
    ['measure(1 µs fn), default options', measured.median.toFixed(0), measured.max.toFixed(0), '2 readings, 1 call', ''],
    ['one settled reading (GC until native memory is still)', settle.median.toFixed(1), settle.max.toFixed(1), '≥ 4 full GCs', ''],
  ];
  printTable(`Leak checks (median and max of ${runs} runs; readings: ${runs * 4})`, ['case', 'median ms', 'max ms', 'work', 'target ms'], rows);
  return { expectNoLeakMs: check.median };
}
