// What the mallinfo collectors add to a Prometheus scrape: scrapes of
// prom-client's default metrics alone against the same plus mallinfo's.
// A default scrape costs ~15 times what mallinfo adds and wanders with the
// machine's load, so the registries are scraped in small batches, in every
// order in turn, and the added cost is the median of the differences
// within each round: load that changes between rounds cancels out. A
// second, identical default registry is the control: what it "adds" is the
// method's noise.
import { performance } from 'node:perf_hooks';
import client from 'prom-client';
import { collectMallinfoMetrics } from 'mallinfo/prometheus';
import { median, printTable } from './measure.mjs';

async function timeScrapes(register, scrapes) {
  const start = performance.now();
  for (let i = 0; i < scrapes; i++) await register.metrics();
  return ((performance.now() - start) * 1000) / scrapes;
}

function registry({ defaults, mallinfo }) {
  const register = new client.Registry();
  if (defaults) client.collectDefaultMetrics({ register });
  if (mallinfo) collectMallinfoMetrics({ register });
  return register;
}

const ORDERS = [
  [0, 1, 2],
  [0, 2, 1],
  [1, 0, 2],
  [1, 2, 0],
  [2, 0, 1],
  [2, 1, 0],
];

/**
 * `rounds` × `batch` scrapes of each registry (1,020 by default); returns
 * µs per scrape for each and the medians of the within-round differences.
 */
export async function measureScrapes({ rounds = 102, batch = 10 } = {}) {
  const registries = [registry({ defaults: true }), registry({ defaults: true }), registry({ defaults: true, mallinfo: true })];
  const mallinfoOnly = registry({ mallinfo: true });
  for (const r of [...registries, mallinfoOnly]) await timeScrapes(r, 100);
  const perScrape = [[], [], []];
  const runs = { control: [], added: [], mallinfoOnly: [] };
  for (let round = 0; round < rounds; round++) {
    const us = [];
    for (const i of ORDERS[round % ORDERS.length]) us[i] = await timeScrapes(registries[i], batch);
    us.forEach((u, i) => perScrape[i].push(u));
    runs.control.push(us[1] - us[0]);
    runs.added.push(us[2] - us[0]);
    runs.mallinfoOnly.push(await timeScrapes(mallinfoOnly, batch));
  }
  return {
    scrapes: rounds * batch,
    plainUs: median(perScrape[0]),
    withMallinfoUs: median(perScrape[2]),
    addedUs: median(runs.added),
    controlUs: median(runs.control),
    mallinfoOnlyUs: median(runs.mallinfoOnly),
  };
}

export async function benchExporters(options) {
  const m = await measureScrapes(options);
  printTable(
    `Prometheus scrape cost (${m.scrapes} scrapes of each registry in batches of 10, orders rotated; medians)`,
    ['registry', 'µs/scrape', 'added (median of within-round differences)'],
    [
      ['collectDefaultMetrics()', m.plainUs.toFixed(1), ''],
      ['collectDefaultMetrics() again (control: the method’s noise)', '', `${m.controlUs.toFixed(1)} µs`],
      ['collectDefaultMetrics() + collectMallinfoMetrics()', m.withMallinfoUs.toFixed(1), `${m.addedUs.toFixed(1)} µs`],
      ['collectMallinfoMetrics() alone', m.mallinfoOnlyUs.toFixed(1), ''],
    ],
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await benchExporters();
