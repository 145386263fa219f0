// Services on 127.0.0.1 under a client loop in the same process, the way
// a load test hits a server: node:http, express and fastify, with undici
// or node:http keep-alive clients. `onRequest(req)` is the handler's own
// work (what it keeps is what the family is about).
import http from 'node:http';
import { KiB, sleep } from './common.mjs';

/** Starts a server of `kind` whose handler calls `onRequest()` and answers `responseBytes` of JSON. */
export async function startServer(kind, { onRequest = () => {}, responseBytes = 2 * KiB } = {}) {
  const body = JSON.stringify({ items: Array.from({ length: Math.max(1, Math.round(responseBytes / 40)) }, (_, i) => ({ id: i, name: `n${i}` })) });
  if (kind === 'express') {
    const { default: express } = await import('express');
    const app = express();
    app.use(express.json({ limit: '1mb' }));
    app.all('/work', (req, res) => {
      onRequest(req);
      res.type('application/json').send(body);
    });
    const server = await listen(app);
    return { port: server.address().port, close: () => closeServer(server) };
  }
  if (kind === 'fastify') {
    const { default: Fastify } = await import('fastify');
    const app = Fastify({ logger: false });
    app.all('/work', async (req, reply) => {
      onRequest(req);
      reply.type('application/json');
      return body;
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    return { port: app.server.address().port, close: () => app.close() };
  }
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      onRequest(req, chunks);
      res.setHeader('content-type', 'application/json');
      res.end(body);
    });
  });
  server.keepAliveTimeout = 60_000;
  await listen(server);
  return { port: server.address().port, close: () => closeServer(server) };
}

function listen(handler) {
  return new Promise((resolve, reject) => {
    const server = handler.listen ? handler.listen(0, '127.0.0.1') : http.createServer(handler).listen(0, '127.0.0.1');
    server.once('listening', () => resolve(server));
    server.once('error', reject);
  });
}

function closeServer(server) {
  server.closeAllConnections?.();
  return new Promise((resolve) => server.close(() => resolve()));
}

/**
 * Sends requests until `durationMs` is over: `concurrency` loops, each
 * waiting `thinkMs` between requests, with `requestBytes` of JSON body
 * (POST) or none (GET). Returns how many requests were answered.
 */
export async function clientLoop(port, { durationMs, concurrency = 4, thinkMs = 0, requestBytes = 0, client = 'http' }) {
  const end = performance.now() + durationMs;
  const payload = requestBytes > 0 ? JSON.stringify({ data: 'x'.repeat(requestBytes) }) : undefined;
  let done = 0;
  let send;
  let closeClient = async () => {};
  if (client === 'undici') {
    const { Pool } = await import('undici');
    const pool = new Pool(`http://127.0.0.1:${port}`, { connections: concurrency });
    send = async () => {
      const res = await pool.request({ path: '/work', method: payload ? 'POST' : 'GET', body: payload, headers: payload ? { 'content-type': 'application/json' } : {} });
      await res.body.text();
    };
    closeClient = () => pool.close();
  } else {
    const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
    send = () =>
      new Promise((resolve, reject) => {
        const req = http.request({ host: '127.0.0.1', port, path: '/work', method: payload ? 'POST' : 'GET', agent, headers: payload ? { 'content-type': 'application/json' } : {} }, (res) => {
          res.resume();
          res.on('end', resolve);
          res.on('error', reject);
        });
        req.on('error', reject);
        req.end(payload);
      });
    closeClient = async () => agent.destroy();
  }
  const loop = async () => {
    while (performance.now() < end) {
      await send().catch(() => sleep(10));
      done++;
      if (thinkMs > 0) await sleep(thinkMs);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  await closeClient();
  return done;
}
