// WebAssembly memories kept (1 MiB each, 4 a second, 24 s) under 0.6 MB of
// Buffer churn every 10 ms; prints its growth after two full collections as
// JSON on stderr: anonymous RSS, V8's external memory, the bytes it kept.
// Node 26's V8 does not count WebAssembly memories as external memory, so
// there the leak is in RSS alone. Recorded for test/corpus/regressions with
//   mallinfo run --interval 250ms --collect-every off --ndjson passive.ndjson -- node26 scripts/corpus/wasm-memories-kept.mjs
//   mallinfo run --interval 250ms --collect-every 1s --ndjson collect.ndjson -- node26 scripts/corpus/wasm-memories-kept.mjs
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');
const anon = () => { const [, res, shared] = readFileSync('/proc/self/statm', 'utf8').split(' ').map(Number); return (res - shared) * 4096; };
const settle = () => { gc(); gc(); return { anon: anon(), external: process.memoryUsage().external }; };
const before = settle();
const kept = [];
let i = 0;
const timer = setInterval(() => {
  if (i++ % 25 === 0) { const m = new WebAssembly.Memory({ initial: 16 }); new Uint8Array(m.buffer).fill(1); kept.push(m); }
  for (let k = 0; k < 20; k++) Buffer.alloc(30_000);
}, 10);
setTimeout(() => {
  clearInterval(timer);
  const after = settle();
  process.stderr.write(JSON.stringify({ keptBytes: kept.length * 1048576, anonGrowth: after.anon - before.anon, externalGrowth: after.external - before.external, node: process.version }) + '\n');
}, 24_000);
