// A stand-in for a server's request handling: every request builds, prints
// and parses some JSON, the JS garbage every server makes, so garbage
// collections happen as they do in production. `retain` decides what
// outlives the request: nothing, or something a leak keeps.

/** Handles one request; returns what `retain(id)` gives back (e.g. a Buffer to leak), or undefined. */
export function handleRequest(id, retain) {
  const items = [];
  for (let i = 0; i < 100; i++) items.push({ id: id * 1000 + i, name: `item ${i}`, tags: ['a', 'b'] });
  const body = JSON.stringify({ id, items });
  if (JSON.parse(body).items.length !== items.length) throw new Error('unreachable');
  return retain?.(id);
}

/**
 * Serves `perTick` requests every `tickMs` for `durationMs`, giving each
 * request's retained value to `keep`. With `fullGcEveryMs`, `fullGc()` runs
 * that often: it stands in for the full collections a server sees every
 * few minutes, so that a scenario needs seconds.
 */
export async function serve({ durationMs, tickMs = 20, perTick = 10, retain, keep = () => {}, fullGc, fullGcEveryMs }) {
  const end = performance.now() + durationMs;
  let id = 0;
  let nextGc = performance.now() + (fullGcEveryMs ?? Infinity);
  while (performance.now() < end) {
    if (performance.now() >= nextGc) {
      fullGc();
      nextGc += fullGcEveryMs;
    }
    for (let i = 0; i < perTick; i++) {
      const kept = handleRequest(id++, retain);
      if (kept !== undefined) keep(kept);
    }
    await new Promise((resolve) => setTimeout(resolve, tickMs));
  }
  return id;
}
