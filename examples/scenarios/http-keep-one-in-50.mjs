// A node:http server that keeps a 64 KB Buffer for 1 request in 50
// (issue 11), under 4 keep-alive clients for 30 s: in-use climbs all the
// way (by how much depends on how fast the machine answers). Sampled every
// 500 ms: native-leak.
// Run: node examples/scenarios/http-keep-one-in-50.mjs [--json]
import { clientLoop, startService } from '../workloads/http-service.mjs';
import { runScenario } from './harness.mjs';

const kept = [];
const service = await startService({
  handle(id) {
    if (id % 50 === 0) kept.push(Buffer.alloc(64 * 1024, id & 0xff));
    return false;
  },
});
await runScenario({
  name: 'http-keep-one-in-50',
  expected: 'native-leak',
  about: 'a node:http server keeping a 64 KB Buffer for 1 request in 50, 4 keep-alive clients for 30 s, sampled every 500 ms',
  intervalMs: 500,
  workload: () => clientLoop(service.port, { durationMs: 30_000, concurrency: 4 }),
});
await service.close();
