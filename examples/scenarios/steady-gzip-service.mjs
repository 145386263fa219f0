// The second steady service (issue 11): pages rendered as JSON, gzip'ed
// with zlib (native memory in the threadpool's arenas) and kept in a
// bounded cache of 300 entries that stays full. Steady traffic for 30 s,
// nothing accumulates: stable.
// Run: node examples/scenarios/steady-gzip-service.mjs [--json]
import { gzip } from 'node:zlib';
import { clientLoop, startService } from '../workloads/http-service.mjs';
import { runScenario } from './harness.mjs';

const MAX_PAGES = 300;
const pages = new Map();
const render = (page) => JSON.stringify({ page, rows: Array.from({ length: 200 }, (_, i) => ({ i, title: `row ${i} of page ${page}` })) });
const service = await startService({
  handle(id, req, res) {
    const page = (id * 7919) % 1000;
    const cached = pages.get(page);
    if (cached) {
      res.setHeader('content-encoding', 'gzip');
      res.end(cached);
      return true;
    }
    gzip(render(page), (error, body) => {
      if (pages.size >= MAX_PAGES) pages.delete(pages.keys().next().value);
      pages.set(page, body);
      res.setHeader('content-encoding', 'gzip');
      res.end(body);
    });
    return true;
  },
});
await runScenario({
  name: 'steady-gzip-service',
  expected: 'stable',
  undecided: "V8's heap creeps between full collections, and 30 s may hold none to show it comes back",
  passiveUnreliable:
    'wrong in 1 of 6 measured runs (native-leak 0.90, in CI): its cache of gzip\'ed pages fills during the window, ' +
    'which the garbage a passive Sampler sees cannot tell from a leak; with collectEveryMs it was stable 5 of 5',
  about: 'gzip’ed JSON pages from a bounded cache of 300, under 4 keep-alive clients for 30 s, sampled every 500 ms',
  intervalMs: 500,
  workload: () => clientLoop(service.port, { durationMs: 30_000, concurrency: 4, thinkMs: 1, headers: { 'accept-encoding': 'gzip' } }),
});
await service.close();
