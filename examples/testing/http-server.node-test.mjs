// The pattern for a leak test of code that does I/O, with node:test: the
// server starts once in before(), and the checked function makes one
// request. Run it from the package root:
//   node --test examples/testing/http-server.node-test.mjs
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, test } from 'node:test';
import { expectNoLeak, LeakError } from 'mallinfo/testing';

let server;
let port;

before(async () => {
  server = http.createServer((req, res) => res.end('hello'));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = server.address().port;
});

after(async () => {
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

test('a GET through the global agent does not leak', async () => {
  const check = await expectNoLeak(() => get(undefined), { iterations: 200 });
  // What the check did: attempts, warm-up, and what its readings waited for.
  console.log(`${check.iterations} GETs checked in ${check.durationMs.toFixed(0)} ms; warm-up ${check.warmup.calls} calls`);
});

test('a GET on a new connection (agent: false) does not leak', async () => {
  await expectNoLeak(() => get(false), { iterations: 200 });
});

test('a handler that keeps every request in a list is caught', async () => {
  const seen = [];
  const leaky = async () => {
    await get(undefined);
    seen.push(Buffer.alloc(10 * 1024));
  };
  await assert.rejects(expectNoLeak(leaky, { iterations: 200 }), LeakError);
});
