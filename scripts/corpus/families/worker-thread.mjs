// The worker side of worker-host.mjs: 'leak' keeps Buffers, 'fragment'
// makes bursts with a few survivors, 'echo' answers messages (steady).
import { parentPort, workerData } from 'node:worker_threads';
import { answerCollections } from 'mallinfo';
import { getGc } from '../../../lib/testing/gc.js';
import { KiB, MiB, bufferChurn, due, paced, tick } from './common.mjs';

const { kind, params: p } = workerData;
// As mallinfo run's preload does in every worker thread: collect when the
// main thread's Sampler runs its own collections (collectEveryMs), so that
// its readings hold this thread's live memory, not its garbage. Traces
// recorded before 2026-12-07 (evening) ran without it.
answerCollections();
const kept = [];
let nativeBytes = 0;
let bursts = 0;

const methods = {
  gc() {
    const gc = getGc();
    gc();
    gc();
    return {};
  },
  async run({ durationMs, burst }) {
    if (kind === 'leak') {
      const size = Math.round(p.itemKB * KiB);
      const churn = bufferChurn({ swingBytes: p.swingMB * MiB, bytesPerSecond: p.churnMBps * MiB, size: 32 * KiB });
      const count = due((p.leakMBperMin * MiB) / 60, size);
      await paced(durationMs, 50, (dt) => {
        churn(dt);
        for (let n = count(dt); n > 0; n--) {
          kept.push(Buffer.alloc(size, 1));
          nativeBytes += size;
        }
      });
      churn.drop();
    } else if (kind === 'fragment') {
      // One burst: count × size Buffers at once (over a few turns), every keepEvery-th kept to the end.
      let pile = [];
      for (let i = 0; i < burst.count; i++) {
        const b = Buffer.alloc(burst.size, i & 0xff);
        pile.push(b);
        if (i % burst.keepEvery === 0) {
          kept.push(b);
          nativeBytes += burst.size;
        }
        if (i % 1000 === 999) await tick();
      }
      pile = null;
      bursts++;
    }
    return { stats: { nativeBytes, items: kept.length, bursts } };
  },
  echo({ payload }) {
    return { size: payload?.length ?? 0, sum: payload ? payload[0] + payload[payload.length - 1] : 0 };
  },
};

parentPort.on('message', async ({ id, method, args }) => {
  const result = await methods[method](args);
  parentPort.postMessage({ id, result });
});
