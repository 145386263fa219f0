// Sampler CPU overhead as a share of one core, from process.cpuUsage() in a
// child that first idles (baseline) and then samples for as long.
import { execFileSync } from 'node:child_process';
import { printTable } from './measure.mjs';

function measure(intervalMs, seconds, mode = 'sampler') {
  const fixture = new URL('./fixtures/sampler-cpu.cjs', import.meta.url).pathname;
  const out = execFileSync(process.execPath, [fixture], {
    env: { ...process.env, INTERVAL_MS: String(intervalMs), SECONDS_EACH: String(seconds), MODE: mode },
    encoding: 'utf8',
  });
  return JSON.parse(out.trim());
}

export function benchSamplerOverhead({ seconds = 10 } = {}) {
  const timer = measure(10, seconds, 'timer');
  const timerPerTick = Math.max(0, timer.runCpu - timer.idleCpu) / timer.ticks;
  const fast = measure(10, seconds);
  // CPU per tick, above idle, measured at 10 ms where there are ticks enough to see it.
  const perTickMicros = Math.max(0, fast.runCpu - fast.idleCpu) / fast.ticks;
  const share = (micros, s) => `${((micros / (s * 1e6)) * 100).toFixed(4)} %`;
  const rows = [[
    '10 ms, bare setInterval (reference)',
    timer.ticks,
    share(timer.idleCpu, seconds),
    share(timer.runCpu, seconds),
    share(Math.max(0, timer.runCpu - timer.idleCpu), seconds),
    `${timerPerTick.toFixed(1)} µs/tick`,
  ], [
    '10 ms',
    fast.ticks,
    share(fast.idleCpu, seconds),
    share(fast.runCpu, seconds),
    share(Math.max(0, fast.runCpu - fast.idleCpu), seconds),
    `${perTickMicros.toFixed(1)} µs/tick`,
  ]];
  for (const intervalMs of [1000, 10_000]) {
    const m = measure(intervalMs, seconds);
    rows.push([
      intervalMs === 1000 ? '1 s' : '10 s',
      m.ticks,
      share(m.idleCpu, seconds),
      share(m.runCpu, seconds),
      share(perTickMicros * (1000 / intervalMs), 1),
      'µs/tick at 10 ms × ticks/s',
    ]);
  }
  printTable(
    `Sampler CPU overhead (share of one core; ${seconds} s idle, then ${seconds} s sampling, per interval)`,
    ['interval', 'ticks', 'idle CPU', 'sampling CPU', 'overhead', 'how'],
    rows,
  );
  console.log(
    'At 1 s and 10 s the difference of two CPU totals drowns in scheduler noise, so the overhead there is the CPU per tick measured at 10 ms × ticks per second.',
    `Most of a tick is the event loop waking up: a bare timer costs ${timerPerTick.toFixed(1)} µs/tick on this machine now.`,
  );
}
