// What the mallinfo collectors add to a Prometheus scrape: scrapes of
// prom-client's default metrics alone against the same plus mallinfo's.
// A default scrape costs ~15 times what mallinfo adds, and a shared
// machine preempts some scrapes by far more than that, so every scrape is
// timed on its own, the registries take turns scrape by scrape (orders
// rotated), and medians and quartiles are compared: preempted scrapes fall
// in the slow tail. The load of the machine moves the cost of a cold scrape
// (a default scrape's own median moved 714–1269 µs between rounds of one
// run), so the scrapes come in rounds and the verdict is the median of the
// rounds' differences, printed with their range. A second, identical
// default registry is the control: what it "adds" is the method's noise.
import client from 'prom-client';
import { collectMallinfoMetrics } from 'mallinfo/prometheus';
import { median, printTable, quantile } from './measure.mjs';

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

/**
 * `rounds` rounds of `perRound` timed scrapes of each registry, taking turns.
 * Each round gives its own medians, so what mallinfo adds is seen as a
 * range over rounds: the machine's load moves between rounds, and with it
 * the cost of a cold scrape.
 */
export async function measureScrapes({ rounds = 5, perRound = 600 } = {}) {
  const registries = [registry({ defaults: true }), registry({ defaults: true }), registry({ defaults: true, mallinfo: true })];
  const mallinfoOnly = registry({ mallinfo: true });
  for (const r of [...registries, mallinfoOnly]) for (let i = 0; i < 200; i++) await timeScrape(r);
  const all = [[], [], [], []];
  const perRoundMedians = [];
  for (let round = 0; round < rounds; round++) {
    const times = [[], [], [], []];
    for (let k = 0; k < perRound; k++) {
      for (const i of ORDERS[k % ORDERS.length]) times[i].push(await timeScrape(registries[i]));
      times[3].push(await timeScrape(mallinfoOnly));
    }
    perRoundMedians.push(times.map((t) => quantile(t, 0.5)));
    times.forEach((t, i) => all[i].push(...t));
  }
  const at = (q) => all.map((t) => quantile(t, q));
  const addedByRound = (i) => perRoundMedians.map((m) => m[i] - m[0]);
  return {
    scrapes: rounds * perRound,
    rounds,
    p25: at(0.25),
    median: at(0.5),
    controlByRound: addedByRound(1),
    mallinfoByRound: addedByRound(2),
    defaultsByRound: perRoundMedians.map((m) => m[0]),
  };
}

const range = (values) => `${Math.min(...values).toFixed(1)} to ${Math.max(...values).toFixed(1)}`;

export async function benchExporters(options) {
  const m = await measureScrapes(options);
  const added = (i) => `${(m.median[i] - m.median[0]).toFixed(1)} µs (${(m.p25[i] - m.p25[0]).toFixed(1)})`;
  printTable(
    `Prometheus scrape cost (${m.scrapes} scrapes of each registry in ${m.rounds} rounds, timed one by one, taking turns)`,
    ['registry', 'median µs', 'added: median (lower quartile)', `added, round by round: median (range)`],
    [
      ['collectDefaultMetrics()', m.median[0].toFixed(1), '', `(its own median: ${range(m.defaultsByRound)} µs)`],
      ['collectDefaultMetrics() again (control: the method’s noise)', m.median[1].toFixed(1), added(1), `${median(m.controlByRound).toFixed(1)} µs (${range(m.controlByRound)})`],
      ['collectDefaultMetrics() + collectMallinfoMetrics()', m.median[2].toFixed(1), added(2), `${median(m.mallinfoByRound).toFixed(1)} µs (${range(m.mallinfoByRound)})`],
      ['collectMallinfoMetrics() alone', m.median[3].toFixed(1), '', ''],
    ],
  );
  const addedUs = median(m.mallinfoByRound);
  console.log(
    `mallinfo's collectors add ${addedUs.toFixed(1)} µs to a scrape, the median of ${m.rounds} rounds (target < 50 µs: ${addedUs < 50 ? 'met' : 'missed'}); ` +
      `the rounds ranged ${range(m.mallinfoByRound)} µs while the control's ranged ${range(m.controlByRound)} µs.`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await benchExporters();
