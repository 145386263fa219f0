// Exercises every native entry point: what the sanitizer and valgrind runs
// execute. Argument: the package directory to load (a sanitizer build).
const { Worker } = require('node:worker_threads');
const pkg = process.argv[2];
const calls = Number(process.argv[3] ?? 100_000);
const { sample, trimSync, trim, allocator, arenas } = require(pkg);
const { binding } = require(`${pkg}/lib/core/native.js`);

function attempt(fn) {
  try {
    fn();
  } catch {
    // Bad arguments must throw, not crash: the throw itself is the point.
  }
}

async function main() {
  for (let i = 0; i < calls; i++) sample();
  for (let i = 0; i < 1000; i++) binding.fillHeap();
  allocator();
  attempt(() => arenas());
  attempt(() => trimSync());
  attempt(() => trimSync({ pad: 1 << 20 }));
  for (const bad of [undefined, -1, NaN, 'x', 2 ** 64]) attempt(() => binding.trim(bad));
  binding.mallocInfo();
  binding.arenaCount();
  binding.trimsRunning();
  if (allocator().kind === 'jemalloc') binding.jemallocArenas();
  await trim().catch(() => {});
  // Worker threads load their own addon instance; some are terminated mid-sample.
  for (let i = 0; i < 20; i++) {
    await new Promise((resolve) => {
      const worker = new Worker(`const { sample } = require(${JSON.stringify(pkg)}); for (;;) sample();`, { eval: true });
      worker.on('error', resolve);
      worker.on('exit', resolve);
      setTimeout(() => worker.terminate(), 20 + i);
    });
  }
  console.log(`sanitizer workload done (allocator: ${allocator().kind}): ${calls} samples, 20 workers terminated mid-sample`);
}
main();
