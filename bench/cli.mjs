// Overhead of `mallinfo run --interval 1s` on an HTTP server: the same
// node:http server alone and under the CLI, each loaded to saturation by an
// autocannon process over loopback. Each round runs every variant once,
// back to back, in a rotating order; a second "alone" run is the control:
// how far two identical runs differ on this machine right now. Two
// measures: throughput (req/s), and CPU time per request (the server's,
// plus the CLI's own when it runs under it, from /proc/<pid>/stat), which
// bounds throughput on a saturated core. Each is compared within its round.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { median, printTable } from './measure.mjs';

const root = join(import.meta.dirname, '..');
const server = join(root, 'bench', 'http-server.mjs');
const cli = join(root, 'lib', 'cli', 'main.js');
const autocannon = join(createRequire(import.meta.url).resolve('autocannon/package.json'), '..', 'autocannon.js');
const ROUNDS = Number(process.env.BENCH_CLI_ROUNDS ?? 8);
const SECONDS = Number(process.env.BENCH_CLI_SECONDS ?? 3);
const TICK_US = 1e6 / 100; // USER_HZ: /proc/<pid>/stat counts CPU time in 1/100 s

const variants = [
  { name: 'node http-server.mjs', args: [server] },
  { name: 'node http-server.mjs (control: the same again)', args: [server] },
  { name: 'mallinfo run --interval 1s -- node http-server.mjs', args: [cli, 'run', '--interval', '1s', '--quiet', '--', process.execPath, server] },
];

/** CPU time (user + system, all threads) of a process so far, in µs. */
function cpuMicros(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_US; // utime, stime
}

/** Starts a server (alone or under the CLI); resolves once it listens, with the pids whose CPU counts. */
async function startServer(args, env = {}) {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, ...env } });
  let text = '';
  for await (const chunk of child.stdout) {
    text += chunk;
    if (text.includes('\n')) break;
  }
  const { port, pid } = JSON.parse(text.split('\n')[0]);
  return { child, url: `http://127.0.0.1:${port}/`, pids: pid === child.pid ? [pid] : [pid, child.pid] };
}

/** Loads `url` for `seconds` with 10 connections from an autocannon process; resolves with the requests served. */
async function load(url, seconds) {
  const child = spawn(process.execPath, [autocannon, '--json', '-c', '10', '-d', String(seconds), url], { stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  child.stdout.on('data', (b) => (out += b));
  const [code] = await once(child, 'exit');
  if (code !== 0) throw new Error(`autocannon exited with ${code}`);
  const result = JSON.parse(out.trim().split('\n').pop());
  if (result.errors > 0 || result.non2xx > 0) throw new Error(`${url}: ${result.errors} errors, ${result.non2xx} non-2xx`);
  return result.requests.total;
}

/** One run of a variant ({ args, env? }): its throughput and CPU per request (also used by bench/attribution.mjs). */
export async function measure(variant) {
  const s = await startServer(variant.args, variant.env);
  try {
    await load(s.url, 1); // warm-up: JIT, sockets
    const cpuBefore = s.pids.map(cpuMicros);
    const requests = await load(s.url, SECONDS);
    const cpu = s.pids.reduce((sum, pid, i) => sum + cpuMicros(pid) - cpuBefore[i], 0);
    return { perSecond: requests / SECONDS, cpuPerRequest: cpu / requests };
  } finally {
    const exited = once(s.child, 'exit');
    s.child.kill('SIGTERM');
    await exited;
  }
}

export async function benchCli() {
  const runs = variants.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    // Rotate the order, so warm caches or a busy neighbour favour none.
    for (let k = 0; k < variants.length; k++) {
      const i = (round + k) % variants.length;
      runs[i].push(await measure(variants[i]));
    }
  }
  // Within each round, against the first variant (alone); medians over the rounds.
  const relative = (i, f) => median(runs[i].map((run, r) => f(run, runs[0][r])));
  const throughput = (i) => relative(i, (run, alone) => run.perSecond / alone.perSecond);
  const capacity = (i) => relative(i, (run, alone) => alone.cpuPerRequest / run.cpuPerRequest);
  printTable(
    `HTTP server under load, alone and under mallinfo run (autocannon, 10 connections, loopback; ${ROUNDS} rounds of ${SECONDS} s runs, medians)`,
    ['server', 'req/s', 'CPU µs/request', 'throughput % of alone', 'capacity % of alone (by CPU)'],
    variants.map((v, i) => [
      v.name,
      median(runs[i].map((x) => x.perSecond)).toFixed(0),
      median(runs[i].map((x) => x.cpuPerRequest)).toFixed(1),
      (throughput(i) * 100).toFixed(1),
      (capacity(i) * 100).toFixed(1),
    ]),
  );
  return runs;
}
