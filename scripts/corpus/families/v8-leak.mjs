// V8 leaks: JavaScript objects kept forever (closures, strings, plain
// objects, Map entries, event listeners, an unbounded lru-cache), with or
// without JS garbage around them. The V8 bytes built are counted from the
// size of one item measured in this process (measureItemBytes).
import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import { MiB, due, measureItemBytes, objectChurn, paced } from './common.mjs';

const round = (x, digits = 2) => Number(x.toFixed(digits));
const churnParams = (d) => ({ churnMBps: d.chance(0.3) ? 0 : round(d.logUniform(0.5, 15)) });

/** A string of `length` one-byte characters, fresh each call (flat, in V8's heap). */
const freshString = (length) => randomBytes(Math.ceil(length / 2)).toString('hex').slice(0, length);

const makers = {
  closures: (p) => (i) => {
    const context = { id: i, payload: freshString(p.itemBytes), tags: [i, i * 2] };
    return () => context.payload.length + context.id;
  },
  strings: (p) => () => freshString(p.itemBytes),
  objects: (p) => (i) => {
    const o = { id: i, createdAt: Date.now(), name: `user-${i}`, scores: [] };
    for (let k = 0; k < p.fields; k++) o.scores.push({ k, v: i * k + 0.5 });
    return o;
  },
};

function keepLoop(p, ctx, make, keep) {
  const itemBytes = measureItemBytes(ctx.gc, make, 1000);
  const churn = objectChurn({ bytesPerSecond: p.churnMBps * MiB });
  const count = due((p.leakMBperMin * MiB) / 60, itemBytes);
  let items = 0;
  return {
    async run(durationMs) {
      await paced(durationMs, 50, (dt) => {
        churn(dt);
        for (let n = count(dt); n > 0; n--) keep(make(items++));
      });
    },
    stats: () => ({ nativeBytes: 0, v8Bytes: Math.round(items * itemBytes), workingSetBytes: 0, items, itemBytes: Math.round(itemBytes) }),
  };
}

function arrayFamily(kind, extra) {
  return {
    label: 'v8-leak',
    params: (d) => ({ leakMBperMin: round(d.logUniform(2, 60)), ...extra(d), ...churnParams(d) }),
    start: async (p, ctx) => {
      const kept = [];
      return keepLoop(p, ctx, makers[kind](p), (x) => kept.push(x));
    },
  };
}

export const v8LeakFamilies = {
  'closure-leak': arrayFamily('closures', (d) => ({ itemBytes: d.int(64, 4096) })),
  'string-leak': arrayFamily('strings', (d) => ({ itemBytes: d.int(32, 16384) })),
  'object-leak': arrayFamily('objects', (d) => ({ fields: d.int(1, 40) })),
  'map-entry-leak': {
    label: 'v8-leak',
    // A Map used as a cache keyed by request id, never evicted.
    params: (d) => ({ leakMBperMin: round(d.logUniform(2, 60)), fields: d.int(1, 20), ...churnParams(d) }),
    start: async (p, ctx) => {
      const cache = new Map();
      const make = makers.objects(p);
      return keepLoop(p, ctx, make, (x) => cache.set(`req-${x.id}-${x.createdAt}`, x));
    },
  },
  'listener-leak': {
    label: 'v8-leak',
    // Each simulated request subscribes to a long-lived emitter and never unsubscribes.
    params: (d) => ({ leakMBperMin: round(d.logUniform(2, 40)), itemBytes: d.int(64, 2048), ...churnParams(d) }),
    start: async (p, ctx) => {
      const bus = new EventEmitter();
      bus.setMaxListeners(0);
      const make = makers.closures(p);
      return keepLoop(p, ctx, make, (listener) => bus.on('config-changed', listener));
    },
  },
  'lru-unbounded-leak': {
    label: 'v8-leak',
    // lru-cache with a TTL but no max: nothing is ever evicted before the TTL (an hour).
    params: (d) => ({ leakMBperMin: round(d.logUniform(2, 60)), fields: d.int(2, 30), ...churnParams(d) }),
    start: async (p, ctx) => {
      const { LRUCache } = await import('lru-cache');
      process.removeAllListeners('warning');
      const cache = new LRUCache({ ttl: 3_600_000 });
      const make = makers.objects(p);
      return keepLoop(p, ctx, make, (x) => cache.set(`session:${x.id}:${x.createdAt}`, x));
    },
  },
};
