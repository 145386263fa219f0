// Native leaks: memory from malloc kept by the program and never given
// back. Each family counts the bytes it keeps (`built.nativeBytes`).
import zlib from 'node:zlib';
import { KiB, MiB, bufferChurn, due, paced } from './common.mjs';
import { clientLoop, startServer } from './servers.mjs';
import { startWorker } from './worker-host.mjs';

const perSecond = (mbPerMin) => (mbPerMin * MiB) / 60;

/** Churn parameters shared by the families that leak under garbage swings. */
function churnParams(d, maxSwingMB = 40) {
  const swingMB = d.chance(0.2) ? 0 : d.uniform(2, maxSwingMB);
  return { swingMB: round(swingMB), churnMBps: round(swingMB === 0 ? 0 : d.uniform(2, 20)), churnSizeKB: d.pick([16, 32, 64, 100]) };
}
const round = (x, digits = 2) => Number(x.toFixed(digits));

function leakingLoop(p, keepOne, itemBytes) {
  const kept = [];
  let nativeBytes = 0;
  const churn = bufferChurn({ swingBytes: p.swingMB * MiB, bytesPerSecond: p.churnMBps * MiB, size: p.churnSizeKB * KiB });
  const count = due(perSecond(p.leakMBperMin), itemBytes);
  return {
    async run(durationMs) {
      await paced(durationMs, p.tickMs ?? 50, (dt) => {
        churn(dt);
        for (let n = count(dt); n > 0; n--) {
          kept.push(keepOne());
          nativeBytes += itemBytes;
        }
      });
      churn.drop();
    },
    stats: () => ({ nativeBytes, v8Bytes: 0, workingSetBytes: 0, items: kept.length }),
  };
}

export const nativeLeakFamilies = {
  'buffer-leak-churn': {
    label: 'native-leak',
    params: (d) => ({ leakMBperMin: round(d.logUniform(1, 60)), itemKB: round(d.logUniform(1, 256)), ...churnParams(d) }),
    start: async (p) => leakingLoop(p, () => Buffer.alloc(Math.round(p.itemKB * KiB), 1), Math.round(p.itemKB * KiB)),
  },
  'arraybuffer-leak': {
    label: 'native-leak',
    params: (d) => ({ leakMBperMin: round(d.logUniform(2, 60)), itemKB: round(d.logUniform(4, 512)), view: d.pick(['Float64Array', 'Uint8Array', 'Int32Array']), ...churnParams(d, 30) }),
    start: async (p) => {
      const View = globalThis[p.view];
      const bytes = Math.round((p.itemKB * KiB) / 8) * 8;
      return leakingLoop(p, () => new View(bytes / View.BYTES_PER_ELEMENT).fill(1), bytes);
    },
  },
  'slice-pinning-leak': {
    label: 'native-leak',
    // A few bytes kept out of each large response buffer pin the whole buffer.
    params: (d) => ({ leakMBperMin: round(d.logUniform(3, 60)), itemKB: d.pick([16, 32, 64, 128, 256]), sliceBytes: d.int(4, 64), ...churnParams(d, 20) }),
    start: async (p) => leakingLoop(p, () => Buffer.alloc(p.itemKB * KiB, 2).subarray(0, p.sliceBytes), p.itemKB * KiB),
  },
  'zlib-unended-leak': {
    label: 'native-leak',
    // Deflate streams created for requests and never ended: zlib's state (about 256 KiB each at memLevel 8) stays in malloc.
    params: (d) => ({ streamsPerMin: round(d.logUniform(8, 200)), level: d.int(1, 9), ...churnParams(d, 20) }),
    start: async (p) => {
      const kept = [];
      const churn = bufferChurn({ swingBytes: p.swingMB * MiB, bytesPerSecond: p.churnMBps * MiB, size: p.churnSizeKB * KiB });
      const count = due(p.streamsPerMin / 60, 1);
      return {
        async run(durationMs) {
          await paced(durationMs, 50, (dt) => {
            churn(dt);
            for (let n = count(dt); n > 0; n--) {
              const z = zlib.createDeflate({ level: p.level });
              z.write(Buffer.alloc(4 * KiB, 3));
              z.on('data', () => {});
              kept.push(z);
            }
          });
          churn.drop();
        },
        stats: () => ({ nativeBytes: kept.length * 256 * KiB, v8Bytes: 0, workingSetBytes: 0, items: kept.length }),
      };
    },
  },
  'http-keep-1-in-n': {
    label: 'native-leak',
    // A node:http server keeps a 64 KB Buffer for 1 request in N.
    params: (d) => ({ keepEvery: d.int(20, 100), concurrency: d.int(1, 6), thinkMs: d.pick([0, 0, 1, 2, 5]), server: 'http', client: d.pick(['http', 'undici']) }),
    start: (p) => serverLeak(p),
  },
  'express-request-leak': {
    label: 'native-leak',
    params: (d) => ({ keepEvery: d.int(5, 60), keptKB: d.pick([8, 16, 32, 64]), concurrency: d.int(1, 6), thinkMs: d.pick([0, 1, 2, 5]), server: 'express', client: d.pick(['http', 'undici']), requestBytes: d.pick([0, 512, 4096]) }),
    start: (p) => serverLeak(p),
  },
  'fastify-request-leak': {
    label: 'native-leak',
    params: (d) => ({ keepEvery: d.int(5, 60), keptKB: d.pick([8, 16, 32, 64]), concurrency: d.int(1, 6), thinkMs: d.pick([0, 1, 2, 5]), server: 'fastify', client: d.pick(['http', 'undici']), requestBytes: d.pick([0, 512, 4096]) }),
    start: (p) => serverLeak(p),
  },
  'worker-buffer-leak': {
    label: 'native-leak',
    // The leak is in a worker thread: its Buffers come from that thread's malloc arena; the main isolate sees none of it.
    params: (d) => ({ leakMBperMin: round(d.logUniform(2, 60)), itemKB: round(d.logUniform(1, 128)), swingMB: round(d.uniform(0, 25)), churnMBps: round(d.uniform(2, 10)) }),
    start: async (p) => {
      const worker = await startWorker('leak', p);
      return {
        run: (durationMs) => worker.call('run', { durationMs }),
        collect: () => worker.call('gc'),
        stats: () => ({ nativeBytes: worker.lastStats?.nativeBytes ?? 0, v8Bytes: 0, workingSetBytes: 0 }),
        close: () => worker.close(),
      };
    },
  },
};

async function serverLeak(p) {
  const kept = [];
  const keptBytes = (p.keptKB ?? 64) * KiB;
  let requests = 0;
  if (p.client === 'undici') await import('undici');
  const server = await startServer(p.server, {
    onRequest: () => {
      if (++requests % p.keepEvery === 0) kept.push(Buffer.alloc(keptBytes, 5));
    },
  });
  return {
    run: (durationMs) => clientLoop(server.port, { durationMs, concurrency: p.concurrency, thinkMs: p.thinkMs, client: p.client, requestBytes: p.requestBytes ?? 0 }),
    stats: () => ({ nativeBytes: kept.length * keptBytes, v8Bytes: 0, workingSetBytes: 0, requests }),
    close: () => server.close(),
  };
}
