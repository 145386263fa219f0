// Building blocks shared by the workload families: paced loops, garbage
// that waits for the collector, byte counting.

export const KiB = 1024;
export const MiB = 1024 * 1024;
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
export const tick = () => new Promise((resolve) => setImmediate(resolve));

/**
 * Calls `step(dtSeconds)` every `tickMs` until `durationMs` has passed
 * (measured, so a loaded machine gets fewer, larger steps at the same rate).
 */
export async function paced(durationMs, tickMs, step) {
  const end = performance.now() + durationMs;
  let last = performance.now();
  while (performance.now() < end) {
    await sleep(tickMs);
    const now = performance.now();
    await step((now - last) / 1000, now);
    last = now;
  }
}

/**
 * Garbage that only the collector takes back: Buffers of `size` made at
 * `bytesPerSecond` into a pile, dropped all at once when the pile reaches
 * `swingBytes`. In-use climbs by the swing and falls when V8 next collects
 * the pile's owners, so it follows the collection cadence.
 */
export function bufferChurn({ swingBytes, bytesPerSecond, size = 64 * KiB }) {
  let pile = [];
  let pileBytes = 0;
  let owed = 0;
  const step = (dt) => {
    if (swingBytes <= 0 || bytesPerSecond <= 0) return;
    owed += bytesPerSecond * dt;
    while (owed >= size) {
      pile.push(Buffer.alloc(size, 7));
      pileBytes += size;
      owed -= size;
      if (pileBytes >= swingBytes) {
        pile = [];
        pileBytes = 0;
      }
    }
  };
  /** Drops the pile when the run ends, so that the probe after it sees no garbage kept by a live pile. */
  step.drop = () => {
    pile = [];
    pileBytes = 0;
  };
  return step;
}

/** JS garbage: short-lived objects and strings, about `bytesPerSecond` of them. */
export function objectChurn({ bytesPerSecond }) {
  let owed = 0;
  let sink = 0;
  return (dt) => {
    owed += bytesPerSecond * dt;
    // One item is roughly 200 bytes of V8 heap (an object, an array, a string).
    const items = Math.floor(owed / 200);
    owed -= items * 200;
    for (let i = 0; i < items; i++) {
      const o = { id: i, name: `item-${i}-${sink}`, tags: [i, i + 1, i + 2], at: Date.now() };
      sink = (sink + o.name.length + o.tags.length) & 0xffff;
    }
    return sink;
  };
}

/** Accumulates a byte rate into whole items of `itemBytes`: returns how many items are due. */
export function due(bytesPerSecond, itemBytes) {
  let owed = 0;
  return (dt) => {
    owed += bytesPerSecond * dt;
    const n = Math.floor(owed / itemBytes);
    owed -= n * itemBytes;
    return n;
  };
}

/**
 * V8 heap bytes one item of `make()` costs, measured in this process:
 * collect, make `count` items, collect, and divide. The items are dropped.
 */
export function measureItemBytes(gc, make, count = 2000) {
  const v8 = () => process.memoryUsage().heapUsed;
  gc();
  gc();
  const before = v8();
  const items = [];
  for (let i = 0; i < count; i++) items.push(make(i));
  gc();
  gc();
  const after = v8();
  items.length = 0;
  return Math.max(16, (after - before) / count);
}
