// What the mallinfo collectors add to a Prometheus scrape: 1,000 scrapes of
// prom-client's default metrics alone against the same plus mallinfo's,
// interleaved trial by trial, medians compared.
import { performance } from 'node:perf_hooks';
import client from 'prom-client';
import { collectMallinfoMetrics } from 'mallinfo/prometheus';
import { median, printTable } from './measure.mjs';

async function timeScrapes(register, scrapes) {
  const start = performance.now();
  for (let i = 0; i < scrapes; i++) await register.metrics();
  return ((performance.now() - start) * 1000) / scrapes;
}

export async function benchExporters({ scrapes = 1000, trials = 7 } = {}) {
  const plain = new client.Registry();
  client.collectDefaultMetrics({ register: plain });
  const withMallinfo = new client.Registry();
  client.collectDefaultMetrics({ register: withMallinfo });
  collectMallinfoMetrics({ register: withMallinfo });
  const mallinfoOnly = new client.Registry();
  collectMallinfoMetrics({ register: mallinfoOnly });
  const runs = { plain: [], withMallinfo: [], mallinfoOnly: [] };
  await timeScrapes(plain, 100);
  await timeScrapes(withMallinfo, 100);
  for (let t = 0; t < trials; t++) {
    runs.plain.push(await timeScrapes(plain, scrapes));
    runs.withMallinfo.push(await timeScrapes(withMallinfo, scrapes));
    runs.mallinfoOnly.push(await timeScrapes(mallinfoOnly, scrapes));
  }
  const base = median(runs.plain);
  const withOurs = median(runs.withMallinfo);
  printTable(
    `Prometheus scrape cost (median of ${trials} interleaved runs of ${scrapes} scrapes)`,
    ['registry', 'µs/scrape', 'added by mallinfo'],
    [
      ['collectDefaultMetrics()', base.toFixed(1), ''],
      ['collectDefaultMetrics() + collectMallinfoMetrics()', withOurs.toFixed(1), `${(withOurs - base).toFixed(1)} µs`],
      ['collectMallinfoMetrics() alone', median(runs.mallinfoOnly).toFixed(1), ''],
    ],
  );
}
