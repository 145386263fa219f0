// The pattern for a leak test of code that does I/O, with vitest: the
// server starts once in beforeAll, and the checked function makes one
// request. Run it from the package root:
//   npx vitest run --root examples/testing
// In your project, import 'mallinfo/vitest' once in a setup file instead.
import http from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import 'mallinfo/vitest';

let server;
let port;

beforeAll(async () => {
  server = http.createServer((req, res) => res.end('hello'));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = server.address().port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** One GET, body read to the end: what the check calls again and again. */
function get(agent) {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: '/', agent }, (res) => {
        res.resume();
        res.on('end', resolve);
      })
      .on('error', reject);
  });
}

it('a GET through the global agent does not leak', async () => {
  await expect(() => get(undefined)).not.toLeakMemory({ iterations: 200 });
});

it('a GET on a new connection (agent: false) does not leak', async () => {
  await expect(() => get(false)).not.toLeakMemory({ iterations: 200 });
});

it('a handler that keeps every request in a list is caught', async () => {
  const seen = [];
  const leaky = async () => {
    await get(undefined);
    seen.push(Buffer.alloc(10 * 1024));
  };
  await expect(leaky).toLeakMemory({ iterations: 200 });
});
