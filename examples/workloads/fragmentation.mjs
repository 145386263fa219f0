// The fragmentation story as a workload: each round allocates `count`
// Buffers of `size` bytes at once, then drops all but `keptShare` of them.
// The few survivors sit between freed chunks all over the heap, so glibc
// cannot hand the freed memory back to the kernel on its own.

/** The Buffers kept from the latest round (a cache of its results). */
export let survivors = [];

/**
 * One burst: allocate `count` × `size`, keep every (1 / keptShare)-th one
 * until the next round replaces them. Returns how many are kept.
 */
export function allocationRound({ count = 10_000, size = 50_000, keptShare = 0.01 } = {}) {
  const keepEvery = Math.round(1 / keptShare);
  const kept = [];
  let burst = [];
  for (let i = 0; i < count; i++) {
    // Buffer.alloc's backing store comes from malloc; 50 KB is below
    // glibc's 128 KiB mmap threshold, so it is carved out of an arena.
    const buffer = Buffer.alloc(size, i & 0xff);
    burst.push(buffer);
    if (i % keepEvery === 0) kept.push(buffer);
  }
  burst = null;
  survivors = kept;
  return kept.length;
}

/**
 * The same burst spread over `chunks` turns of the event loop, so that a
 * Sampler running meanwhile sees the sawtooth climb: like a server whose
 * requests arrive over a few hundred milliseconds. `keep` decides which
 * Buffers outlive the burst (default: every (1 / keptShare)-th one, kept
 * until the next burst replaces them); returns the kept Buffers.
 */
export async function allocationBurst({ count = 10_000, size = 50_000, keptShare = 0.01, chunks = 10 } = {}) {
  const keepEvery = keptShare > 0 ? Math.round(1 / keptShare) : 0;
  const kept = [];
  let burst = [];
  for (let chunk = 0; chunk < chunks; chunk++) {
    const end = Math.round(((chunk + 1) * count) / chunks);
    for (let i = burst.length; i < end; i++) {
      const buffer = Buffer.alloc(size, i & 0xff);
      burst.push(buffer);
      if (keepEvery > 0 && i % keepEvery === 0) kept.push(buffer);
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  burst = null;
  survivors = kept;
  return kept;
}
