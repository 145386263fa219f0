// What the mallinfo collectors add to a Prometheus scrape: scrapes of
// prom-client's default metrics alone against the same plus mallinfo's.
// A default scrape costs ~15 times what mallinfo adds, and a shared
// machine preempts some scrapes by far more than that, so every scrape is
// timed on its own, the registries take turns scrape by scrape (orders
// rotated), and medians and quartiles are compared: preempted scrapes fall
// in the slow tail. A second, identical default registry is the control:
// what it "adds" is the method's noise.
import client from 'prom-client';
import { collectMallinfoMetrics } from 'mallinfo/prometheus';
import { printTable, quantile } from './measure.mjs';

function registry({ defaults, mallinfo }) {
  const register = new client.Registry();
  if (defaults) client.collectDefaultMetrics({ register });
  if (mallinfo) collectMallinfoMetrics({ register });
  return register;
}

async function timeScrape(register) {
  const start = process.hrtime.bigint();
  await register.metrics();
  return Number(process.hrtime.bigint() - start) / 1000;
}

const ORDERS = [
  [0, 1, 2],
  [0, 2, 1],
  [1, 0, 2],
  [1, 2, 0],
  [2, 0, 1],
  [2, 1, 0],
];

/** `scrapes` timed scrapes of each registry, taking turns; µs quartiles per registry. */
export async function measureScrapes({ scrapes = 3000 } = {}) {
  const registries = [registry({ defaults: true }), registry({ defaults: true }), registry({ defaults: true, mallinfo: true })];
  const mallinfoOnly = registry({ mallinfo: true });
  const times = [[], [], [], []];
  for (const r of [...registries, mallinfoOnly]) for (let i = 0; i < 200; i++) await timeScrape(r);
  for (let k = 0; k < scrapes; k++) {
    for (const i of ORDERS[k % ORDERS.length]) times[i].push(await timeScrape(registries[i]));
    times[3].push(await timeScrape(mallinfoOnly));
  }
  const at = (q) => times.map((t) => quantile(t, q));
  return { scrapes, p25: at(0.25), median: at(0.5) };
}

export async function benchExporters(options) {
  const m = await measureScrapes(options);
  const added = (i) => `${(m.median[i] - m.median[0]).toFixed(1)} µs (${(m.p25[i] - m.p25[0]).toFixed(1)})`;
  printTable(
    `Prometheus scrape cost (${m.scrapes} scrapes of each registry, timed one by one, taking turns)`,
    ['registry', 'median µs', 'added: median (lower quartile)'],
    [
      ['collectDefaultMetrics()', m.median[0].toFixed(1), ''],
      ['collectDefaultMetrics() again (control: the method’s noise)', m.median[1].toFixed(1), added(1)],
      ['collectDefaultMetrics() + collectMallinfoMetrics()', m.median[2].toFixed(1), added(2)],
      ['collectMallinfoMetrics() alone', m.median[3].toFixed(1), ''],
    ],
  );
  const addedUs = m.median[2] - m.median[0];
  console.log(`mallinfo's collectors add ${addedUs.toFixed(1)} µs to a scrape (target < 50 µs: ${addedUs < 50 ? 'met' : 'missed'}).`);
}

if (import.meta.url === `file://${process.argv[1]}`) await benchExporters();
