// Stable: programs whose memory is level once warm. Some keep a bounded
// working set (caches at their limit, a cache that fills early): that
// working set is declared (`workingSetBytes`) and is not a leak.
import crypto from 'node:crypto';
import zlib from 'node:zlib';
import { KiB, MiB, bufferChurn, objectChurn, paced } from './common.mjs';
import { clientLoop, startServer } from './servers.mjs';
import { startWorker } from './worker-host.mjs';

const round = (x, digits = 2) => Number(x.toFixed(digits));
/** What V8's heap may gain while code is first compiled and optimized (an allowance of the stable check). */
const WARMUP_V8_BYTES = 3 * MiB;
/** V8 bytes per cached Buffer: its JS object and its Map entry. */
const V8_BYTES_PER_ENTRY = 250;

function serviceFamily(server, extra = () => ({})) {
  return {
    label: 'stable',
    params: (d) => ({ server, client: d.pick(['http', 'undici']), concurrency: d.int(1, 8), thinkMs: d.pick([0, 0, 1, 2, 5, 10]), responseKB: d.pick([1, 2, 8, 32, 64]), requestBytes: d.pick([0, 0, 512, 8192]), ...extra(d) }),
    start: async (p) => {
      let requests = 0;
      if (p.client === 'undici') await import('undici');
      const s = await startServer(p.server, { onRequest: () => requests++, responseBytes: p.responseKB * KiB });
      return {
        run: (durationMs) => clientLoop(s.port, { durationMs, concurrency: p.concurrency, thinkMs: p.thinkMs, client: p.client, requestBytes: p.requestBytes }),
        // The first requests compile the handlers, the framework's code and the client's: V8's heap warms up.
        stats: () => ({ nativeBytes: 0, v8Bytes: 0, workingSetBytes: 0, warmupV8Bytes: WARMUP_V8_BYTES, requests }),
        close: () => s.close(),
      };
    },
  };
}

/**
 * How long to run on after the trim to see whether the churn takes the
 * freed memory back: the time to replace ~40 MiB (a collection cycle's
 * garbage), between 4 and 30 s.
 */
function churnContinueMs(bytesPerSecond) {
  if (bytesPerSecond <= 0) return 4000;
  return Math.round(Math.min(30_000, Math.max(4000, (1000 * 40 * MiB) / bytesPerSecond)));
}

/** A Map cache of `entries` Buffers of `entryKB`, filled within `fillShare` of the run, then entries replaced at `replacePerSec`. */
function bufferCache(p) {
  const cache = new Map();
  const size = Math.round(p.entryKB * KiB);
  let next = 0;
  let owedFill = 0;
  let owedReplace = 0;
  return {
    async run(durationMs) {
      const fillPerSec = p.entries / ((durationMs / 1000) * p.fillShare);
      await paced(durationMs, 50, (dt) => {
        if (cache.size < p.entries) {
          owedFill += fillPerSec * dt;
          for (; owedFill >= 1 && cache.size < p.entries; owedFill--) cache.set(next++, Buffer.alloc(size, 1));
        } else {
          owedReplace += p.replacePerSec * dt;
          for (; owedReplace >= 1; owedReplace--) {
            // Evict the oldest entry, insert a new one: the working set stays at its limit.
            cache.delete(cache.keys().next().value);
            cache.set(next++, Buffer.alloc(size, 1));
          }
        }
      });
    },
    stats: () => ({ nativeBytes: 0, v8Bytes: 0, workingSetBytes: p.entries * size, workingSetV8Bytes: p.entries * V8_BYTES_PER_ENTRY, entries: cache.size }),
  };
}

export const stableFamilies = {
  idle: {
    label: 'stable',
    params: (d) => ({ timerMs: d.pick([100, 500, 1000]) }),
    start: async (p) => ({ run: (durationMs) => paced(durationMs, p.timerMs, () => {}), stats: () => ({ nativeBytes: 0, v8Bytes: 0, workingSetBytes: 0 }) }),
  },
  'http-service-steady': serviceFamily('http'),
  'express-service-steady': serviceFamily('express'),
  'fastify-service-steady': serviceFamily('fastify'),
  'bounded-buffer-cache': {
    label: 'stable',
    // A Map of Buffers at its size limit, entries replaced all the time: working-set churn, RSS flat.
    params: (d) => {
      const entryKB = d.pick([8, 16, 40, 40, 64]);
      // At least 2 MB/s of replacements: the churn takes freed memory back within seconds.
      return { entryKB, entries: d.int(500, 4000), fillShare: round(d.uniform(0.05, 0.25)), replacePerSec: d.int(Math.max(50, Math.ceil(2048 / entryKB)), 600) };
    },
    continueMs: (p) => churnContinueMs(p.replacePerSec * p.entryKB * KiB),
    start: async (p) => bufferCache(p),
  },
  'warmup-cache': {
    label: 'stable',
    // A cache that fills during the first 20–40 % of the run and then stays level (no replacement or a little).
    params: (d) => ({ entryKB: d.pick([4, 16, 40, 100]), entries: d.int(200, 2000), fillShare: round(d.uniform(0.2, 0.4)), replacePerSec: d.pick([0, 0, 5, 20]) }),
    continueMs: (p) => churnContinueMs(p.replacePerSec * p.entryKB * KiB),
    start: async (p) => bufferCache(p),
  },
  'lru-bounded-cache': {
    label: 'stable',
    // lru-cache with max, set and get all the time: evictions keep it at its limit.
    params: (d) => ({ max: d.int(1000, 20000), valueKind: d.pick(['buffer', 'object']), valueKB: d.pick([1, 4, 16]), opsPerSec: d.int(200, 3000), keySpace: d.int(2, 6) }),
    start: async (p) => {
      const { LRUCache } = await import('lru-cache');
      const cache = new LRUCache({ max: p.max });
      const value = (i) => (p.valueKind === 'buffer' ? Buffer.alloc(p.valueKB * KiB, i & 0xff) : { id: i, body: 'v'.repeat(p.valueKB * 1024 - 64), at: Date.now() });
      let owed = 0;
      let hits = 0;
      return {
        run: (durationMs) =>
          paced(durationMs, 50, (dt) => {
            owed += p.opsPerSec * dt;
            for (; owed >= 1; owed--) {
              const key = Math.floor(Math.random() * p.max * p.keySpace);
              if (cache.get(key) !== undefined) hits++;
              else cache.set(key, value(key));
            }
          }),
        stats: () => {
          const bytes = p.max * p.valueKB * KiB;
          return { nativeBytes: 0, v8Bytes: 0, workingSetBytes: p.valueKind === 'buffer' ? bytes : 0, workingSetV8Bytes: p.max * V8_BYTES_PER_ENTRY + (p.valueKind === 'object' ? bytes * 1.5 : 0), hits };
        },
      };
    },
  },
  'buffer-sawtooth': {
    label: 'stable',
    // Buffers made and dropped: in-use swings with the collection cadence and comes back.
    // A cycle (swing / rate) of at most 8 s, so that the run sees several: the garbage is taken back again and again.
    params: (d) => {
      const swingMB = round(d.logUniform(1, 50));
      return { swingMB, churnMBps: round(Math.max(swingMB / 8, d.logUniform(1, 30))), sizeKB: d.pick([4, 16, 64, 256, 1024]) };
    },
    // After the trim, run on for 2.5 cycles: long enough to see the trimmed garbage come back.
    continueMs: (p) => Math.round(Math.min(25_000, Math.max(4000, (2.5 * 1000 * p.swingMB) / p.churnMBps))),
    start: async (p) => {
      const churn = bufferChurn({ swingBytes: p.swingMB * MiB, bytesPerSecond: p.churnMBps * MiB, size: p.sizeKB * KiB });
      return { run: (durationMs) => paced(durationMs, 50, churn).then(churn.drop), stats: () => ({ nativeBytes: 0, v8Bytes: 0, workingSetBytes: 0 }) };
    },
  },
  'js-garbage-sawtooth': {
    label: 'stable',
    // Short-lived JS objects only: V8's heap climbs between collections and falls back.
    params: (d) => ({ churnMBps: round(d.logUniform(0.5, 30)) }),
    start: async (p) => {
      const churn = objectChurn({ bytesPerSecond: p.churnMBps * MiB });
      return { run: (durationMs) => paced(durationMs, 50, churn), stats: () => ({ nativeBytes: 0, v8Bytes: 0, workingSetBytes: 0 }) };
    },
  },
  'zlib-crypto-json-steady': {
    label: 'stable',
    // Steady CPU work through native libraries: gzip, hashes and ciphers, JSON round trips.
    params: (d) => ({ work: d.pick(['zlib', 'crypto', 'json', 'mixed']), opsPerSec: d.int(20, 400), payloadKB: d.pick([1, 8, 32, 128]), async: d.chance(0.5) }),
    start: async (p) => {
      const payload = Buffer.from(JSON.stringify({ rows: Array.from({ length: p.payloadKB * 16 }, (_, i) => ({ i, s: `row ${i}`, f: i / 3 })) }));
      const key = crypto.randomBytes(32);
      const one = async (w) => {
        if (w === 'zlib') return p.async ? new Promise((r) => zlib.gzip(payload, () => r())) : zlib.gunzipSync(zlib.gzipSync(payload));
        if (w === 'crypto') {
          const iv = crypto.randomBytes(16);
          const c = crypto.createCipheriv('aes-256-gcm', key, iv);
          return crypto.createHash('sha256').update(Buffer.concat([c.update(payload), c.final()])).digest('hex');
        }
        return JSON.parse(payload.toString()).rows.length;
      };
      let owed = 0;
      let ops = 0;
      return {
        run: (durationMs) =>
          paced(durationMs, 50, async (dt) => {
            owed += p.opsPerSec * dt;
            const jobs = [];
            for (; owed >= 1; owed--) jobs.push(one(p.work === 'mixed' ? ['zlib', 'crypto', 'json'][ops % 3] : p.work).then(() => ops++));
            await Promise.all(jobs);
          }),
        stats: () => ({ nativeBytes: 0, v8Bytes: 0, workingSetBytes: 0, warmupV8Bytes: WARMUP_V8_BYTES, ops }),
      };
    },
  },
  'worker-postmessage-steady': {
    label: 'stable',
    // Messages to a worker thread and back, payloads copied each way.
    params: (d) => ({ messagesPerSec: d.int(50, 1000), payloadKB: d.pick([1, 8, 64, 256]) }),
    start: async (p) => {
      const worker = await startWorker('echo', p);
      let owed = 0;
      let messages = 0;
      return {
        run: (durationMs) =>
          paced(durationMs, 50, async (dt) => {
            owed += p.messagesPerSec * dt;
            const calls = [];
            for (; owed >= 1; owed--) calls.push(worker.call('echo', { payload: new Uint8Array(p.payloadKB * KiB).fill(messages & 0xff) }).then(() => messages++));
            await Promise.all(calls);
          }),
        collect: () => worker.call('gc'),
        stats: () => ({ nativeBytes: 0, v8Bytes: 0, workingSetBytes: 0, warmupV8Bytes: WARMUP_V8_BYTES, messages }),
        close: () => worker.close(),
      };
    },
  },
};
