// How much memory Node itself keeps outside malloc and V8's heap as
// ArrayBuffers are made and dropped: 50 KB Buffers, 10,000 a round, then
// two full collections; prints anonymous RSS less malloc's in-use and free
// bytes and V8's physical heap size every 5 rounds (400,000 Buffers in
// all). docs/diagnosis.md's Limits quote it for Node 20, 22, 24 and 26, and
// with V8's page promotion turned off, which is where Node 22 and 24 grow:
//   node scripts/node-own-growth.mjs          (this Node)
//   <another node> scripts/node-own-growth.mjs
//   <another node> --no-page-promotion scripts/node-own-growth.mjs
import { processMemory, sample } from '../lib/index.js';
import { collectGarbage } from '../lib/core/gc.js';

const outside = () => {
  const s = sample();
  return processMemory().residentAnon - s.heap.inUse - s.heap.free - s.v8.physical;
};
const MB = 1024 * 1024;
collectGarbage();
const start = outside();
const out = [];
for (let round = 1; round <= 40; round++) {
  let pile = [];
  for (let i = 0; i < 10_000; i++) pile.push(Buffer.alloc(50_000, 1));
  pile = null;
  collectGarbage();
  await new Promise((resolve) => setTimeout(resolve, 20));
  if (round % 5 === 0) out.push(`${round * 10_000}: ${((outside() - start) / MB).toFixed(1)} MB`);
}
console.log(`Node ${process.version}, memory outside malloc and V8's heap since the start, by ArrayBuffers made:\n  ${out.join('\n  ')}`);
