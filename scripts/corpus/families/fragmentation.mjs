// Fragmentation: memory freed by the program that glibc cannot give back,
// because a few survivors pin every region; it then stays resident and
// unused (idle or light traffic after the bursts).
import { KiB, MiB, bufferChurn, objectChurn, paced, sleep, tick } from './common.mjs';
import { startWorker } from './worker-host.mjs';

const round = (x, digits = 2) => Number(x.toFixed(digits));

/** count × size Buffers over `chunks` turns of the event loop, every keepEvery-th returned (the rest is garbage). */
async function burst(count, size, keepEvery, chunks) {
  const survivors = [];
  let pile = [];
  for (let chunk = 0; chunk < chunks; chunk++) {
    const end = Math.round(((chunk + 1) * count) / chunks);
    for (let i = pile.length; i < end; i++) {
      const b = Buffer.alloc(size, i & 0xff);
      pile.push(b);
      if (i % keepEvery === 0) survivors.push(b);
    }
    await tick();
  }
  pile = null;
  return survivors;
}

/**
 * One full collection right after a burst. It stands in for the collection
 * a busy server's next allocations would trigger within a second or two;
 * an idle process may otherwise hold the burst's garbage for most of the
 * run (V8 collects when it allocates), which is garbage, not fragmentation.
 */
function collectSoon(ctx) {
  ctx.gc();
}

/** What runs after the bursts: nothing, or light traffic that keeps nothing. */
function afterwards(p) {
  if (p.after === 'idle') return () => {};
  const js = objectChurn({ bytesPerSecond: 0.3 * MiB });
  const small = bufferChurn({ swingBytes: 1 * MiB, bytesPerSecond: 0.2 * MiB, size: 2 * KiB });
  return (dt) => {
    js(dt);
    small(dt);
  };
}

/** Waits until `untilMs` after `t0`, then runs the rest of the duration with `after`. */
async function idleRest(p, t0, durationMs) {
  await paced(Math.max(0, durationMs - (performance.now() - t0)), 100, afterwards(p));
}

const common = (d) => ({ after: d.pick(['idle', 'idle', 'light-traffic']), startShare: round(d.uniform(0.05, 0.25)) });

export const fragmentationFamilies = {
  'story-burst-then-idle': {
    label: 'fragmentation',
    // DESIGN's story: N × Buffer.alloc(50_000), about 1 % kept.
    params: (d) => ({ count: d.int(5000, 15000), sizeBytes: d.pick([50_000, 50_000, 40_000, 64_000, 100_000]), keepEvery: d.int(50, 200), chunks: d.int(5, 40), ...common(d) }),
    start: async (p, ctx) => {
      let survivors = [];
      return {
        async run(durationMs) {
          const t0 = performance.now();
          await sleep(durationMs * p.startShare);
          survivors = await burst(p.count, p.sizeBytes, p.keepEvery, p.chunks);
          collectSoon(ctx);
          await idleRest(p, t0, durationMs);
        },
        continue: (ms) => idleRest(p, performance.now(), ms),
        stats: () => ({ nativeBytes: survivors.length * p.sizeBytes, v8Bytes: 0, workingSetBytes: survivors.length * p.sizeBytes }),
      };
    },
  },
  'repeated-bursts-then-idle': {
    label: 'fragmentation',
    // Bursts a few seconds apart, each replacing the previous one's survivors; the last part of the run is idle.
    params: (d) => ({ bursts: d.int(2, 6), gapMs: d.int(1000, 5000), count: d.int(4000, 10000), sizeBytes: d.pick([20_000, 30_000, 50_000, 80_000, 100_000]), keepEvery: d.int(50, 150), chunks: d.int(5, 20), ...common(d) }),
    start: async (p, ctx) => {
      let survivors = [];
      return {
        async run(durationMs) {
          const t0 = performance.now();
          await sleep(durationMs * p.startShare);
          const gapMs = Math.min(p.gapMs, (durationMs * 0.45) / p.bursts);
          for (let b = 0; b < p.bursts; b++) {
            const count = Math.round(p.count * (0.8 + 0.2 * ((b * 7919) % 5) / 4));
            survivors = await burst(count, p.sizeBytes, p.keepEvery, p.chunks);
            collectSoon(ctx);
            await sleep(gapMs);
          }
          await idleRest(p, t0, durationMs);
        },
        continue: (ms) => idleRest(p, performance.now(), ms),
        stats: () => ({ nativeBytes: survivors.length * p.sizeBytes, v8Bytes: 0, workingSetBytes: survivors.length * p.sizeBytes }),
      };
    },
  },
  'mmap-threshold-fragmentation': {
    label: 'fragmentation',
    // Large Buffers (above the initial 128 KiB mmap threshold): the first frees raise glibc's threshold, so later rounds come from the heap and fragment it.
    params: (d) => ({ rounds: d.int(2, 5), sizeKB: d.pick([160, 200, 256, 400, 512]), roundMB: d.int(150, 450), keepEvery: d.int(40, 120), ...common(d) }),
    start: async (p, ctx) => {
      const survivors = [];
      const size = p.sizeKB * KiB;
      return {
        async run(durationMs) {
          const t0 = performance.now();
          await sleep(durationMs * p.startShare);
          const count = Math.round((p.roundMB * MiB) / size);
          for (let r = 0; r < p.rounds; r++) {
            survivors.push(...(await burst(count, size, p.keepEvery, 10)));
            collectSoon(ctx);
            await sleep(Math.min(2000, durationMs * 0.05));
          }
          await idleRest(p, t0, durationMs);
        },
        continue: (ms) => idleRest(p, performance.now(), ms),
        stats: () => ({ nativeBytes: survivors.length * size, v8Bytes: 0, workingSetBytes: survivors.length * size }),
      };
    },
  },
  'worker-arena-fragmentation': {
    label: 'fragmentation',
    // Bursts in worker threads, each with its own malloc arena: RSS climbs by one burst per new arena while in-use peaks stay level.
    params: (d) => ({ workers: d.int(2, 5), count: d.int(3000, 8000), sizeBytes: d.pick([30_000, 50_000, 64_000]), keepEvery: d.int(50, 150), gapMs: d.int(1000, 4000), ...common(d) }),
    start: async (p) => {
      const workers = await Promise.all(Array.from({ length: p.workers }, () => startWorker('fragment', p)));
      let nativeBytes = 0;
      return {
        async run(durationMs) {
          const t0 = performance.now();
          await sleep(durationMs * p.startShare);
          const gapMs = Math.min(p.gapMs, (durationMs * 0.45) / p.workers);
          for (const w of workers) {
            const r = await w.call('run', { burst: { count: p.count, size: p.sizeBytes, keepEvery: p.keepEvery } });
            await w.call('gc');
            nativeBytes += r.stats.nativeBytes;
            await sleep(gapMs);
          }
          await idleRest(p, t0, durationMs);
        },
        continue: (ms) => idleRest(p, performance.now(), ms),
        collect: () => Promise.all(workers.map((w) => w.call('gc'))),
        stats: () => ({ nativeBytes, v8Bytes: 0, workingSetBytes: nativeBytes }),
        close: () => Promise.all(workers.map((w) => w.close())),
      };
    },
  },
};
