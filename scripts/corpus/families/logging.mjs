// Services that log with pino, as most Node services do: a steady one
// (a logger line per request to /dev/null), and one that creates a child
// logger per session and keeps it in a Map that is never cleared.
import { KiB, MiB, due, measureItemBytes, objectChurn, paced } from './common.mjs';
import { clientLoop, startServer } from './servers.mjs';

const round = (x, digits = 2) => Number(x.toFixed(digits));

async function logger() {
  const { default: pino } = await import('pino');
  return pino({ level: 'info' }, pino.destination({ dest: '/dev/null', sync: false }));
}

export const loggingFamilies = {
  'pino-service-steady': {
    label: 'stable',
    params: (d) => ({ server: d.pick(['http', 'express']), concurrency: d.int(1, 6), thinkMs: d.pick([0, 1, 2, 5]), responseKB: d.pick([1, 4, 16]), fieldsPerLine: d.int(2, 12) }),
    start: async (p) => {
      const log = await logger();
      let requests = 0;
      const s = await startServer(p.server, {
        responseBytes: p.responseKB * KiB,
        onRequest: (req) => {
          const fields = { reqId: ++requests, method: req.method, url: req.url };
          for (let k = 0; k < p.fieldsPerLine; k++) fields[`f${k}`] = k * requests;
          log.info(fields, 'request handled');
        },
      });
      return {
        run: (durationMs) => clientLoop(s.port, { durationMs, concurrency: p.concurrency, thinkMs: p.thinkMs }),
        stats: () => ({ nativeBytes: 0, v8Bytes: 0, workingSetBytes: 0, warmupV8Bytes: 3 * MiB, requests }),
        close: () => s.close(),
      };
    },
  },
  'pino-child-logger-leak': {
    label: 'v8-leak',
    // A child logger with the session's bindings per session, kept in a Map keyed by session id forever.
    params: (d) => ({ leakMBperMin: round(d.logUniform(2, 40)), bindings: d.int(2, 20), churnMBps: d.chance(0.3) ? 0 : round(d.logUniform(0.5, 10)) }),
    start: async (p, ctx) => {
      const log = await logger();
      const sessions = new Map();
      const make = (i) => {
        const bindings = { session: `s-${i}-${Date.now()}` };
        for (let k = 0; k < p.bindings; k++) bindings[`b${k}`] = `value ${k} of ${i}`;
        return log.child(bindings);
      };
      const itemBytes = measureItemBytes(ctx.gc, make, 1000);
      const churn = objectChurn({ bytesPerSecond: p.churnMBps * MiB });
      const count = due((p.leakMBperMin * MiB) / 60, itemBytes);
      let items = 0;
      return {
        run: (durationMs) =>
          paced(durationMs, 50, (dt) => {
            churn(dt);
            for (let n = count(dt); n > 0; n--, items++) {
              const child = make(items);
              if (items % 100 === 0) child.info('session started');
              sessions.set(items, child);
            }
          }),
        stats: () => ({ nativeBytes: 0, v8Bytes: Math.round(items * itemBytes), workingSetBytes: 0, items, itemBytes: Math.round(itemBytes) }),
      };
    },
  },
};
