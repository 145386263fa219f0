// A node:http JSON service on 127.0.0.1 under a keep-alive client loop in
// the same process, the way a load test hits a service. `handle(id)` is
// the handler's own work; what it keeps is what a scenario is about.
import http from 'node:http';

/** Starts the service; `handle(id, res)` may answer itself (return true) or leave the default JSON answer. */
export async function startService({ handle = () => false, responseBytes = 4096 } = {}) {
  const body = JSON.stringify({ items: Array.from({ length: Math.max(1, Math.round(responseBytes / 40)) }, (_, i) => ({ id: i, name: `n${i}` })) });
  let requests = 0;
  const server = http.createServer((req, res) => {
    const id = requests++;
    req.resume();
    req.on('end', () => {
      if (handle(id, req, res) === true) return;
      res.setHeader('content-type', 'application/json');
      res.end(body);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: server.address().port,
    requests: () => requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** `concurrency` keep-alive loops of GET /, each waiting `thinkMs` between requests, until `durationMs` is over. */
export async function clientLoop(port, { durationMs, concurrency = 4, thinkMs = 0, headers = {} }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const end = performance.now() + durationMs;
  const get = () =>
    new Promise((resolve) => {
      const req = http.get({ host: '127.0.0.1', port, path: '/', agent, headers }, (res) => {
        res.resume();
        res.on('end', resolve);
        res.on('error', resolve);
      });
      req.on('error', resolve);
    });
  const loop = async () => {
    while (performance.now() < end) {
      await get();
      if (thinkMs > 0) await new Promise((resolve) => setTimeout(resolve, thinkMs));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  agent.destroy();
}
