// Bursts of large Buffers: 3 to 7 of 40 MB each, held for a moment, then
// dropped. 40 MB is above glibc's largest mmap threshold (32 MiB), so each
// Buffer gets its own mapping and goes back to the kernel when freed: RSS
// and in-use climb 120–280 MB and return to the same floor every time.

const MiB = 1024 * 1024;
const tick = () => new Promise((resolve) => setImmediate(resolve));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A small seeded random generator (mulberry32), so that every run has the same bursts. */
export function seededRandom(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One burst: allocates and fills 3–7 × 40 MB (the fill makes the pages resident), holds them `holdMs`. */
export async function largeBurst(random, { holdMs = 100 } = {}) {
  const count = 3 + Math.floor(random() * 5);
  let held = [];
  for (let i = 0; i < count; i++) {
    held.push(Buffer.alloc(40 * MiB, 1));
    await tick();
  }
  await sleep(holdMs);
  held = null;
  return count * 40 * MiB;
}
