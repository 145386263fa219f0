// One held-out run: node --expose-gc run-one.mjs NAME INTERVAL_MS DURATION_MS [COLLECT_EVERY_MS]
// Samples the workload with a Sampler, diagnoses at the end, and measures
// its growth independently: malloc in-use, V8's heap and external memory,
// and anonymous RSS after two full collections (gc()) before and after. Prints one JSON line.
import { Sampler, sample } from 'mallinfo';
import { workloads } from './workloads.mjs';

const [name, intervalMs, durationMs, collectEveryMs] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4]), Number(process.argv[5] ?? 0)];
const workload = workloads[name];
if (!workload) throw new Error(`unknown workload ${name}: ${Object.keys(workloads).join(', ')}`);
const state = await workload.setup();
const settled = () => {
  globalThis.gc();
  globalThis.gc();
  const s = sample();
  return { inUse: s.heap?.inUse ?? null, v8: s.v8.used, external: s.v8.external, anonymous: s.process ? s.process.resident - s.process.shared : null };
};
const before = settled();
const sampler = new Sampler({ intervalMs, history: 5000, ...(collectEveryMs > 0 ? { collectEveryMs } : {}) }).start();
const end = performance.now() + durationMs;
for (let n = 0; performance.now() < end; n++) await workload.step(state, n);
sampler.stop();
const d = sampler.diagnose();
const after = settled();
await workload.teardown?.(state);
const MiB = 1024 * 1024;
console.log(
  JSON.stringify({
    name,
    label: workload.label,
    intervalMs,
    verdict: d.verdict,
    confidence: d.confidence,
    grewMiB: { inUse: after.inUse === null ? null : (after.inUse - before.inUse) / MiB, v8: (after.v8 - before.v8) / MiB, external: (after.external - before.external) / MiB, anonymous: after.anonymous === null ? null : (after.anonymous - before.anonymous) / MiB },
    summary: d.summary,
  }),
);
process.exit(0);
