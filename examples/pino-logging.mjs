// Allocator statistics in a server's structured log, with pino: one JSON line
// per sample (RSS, what malloc holds in use and keeps free, V8's heap, the
// verdict so far), and a warning when the verdict changes.
//   node examples/pino-logging.mjs            a sample every 10 s, until Ctrl-C
//   node examples/pino-logging.mjs 500 6      every 500 ms, 6 samples, then exit
import pino from 'pino';
import { formatSampleLine, Sampler, sampleLogFields } from 'mallinfo';

const intervalMs = Number(process.argv[2] ?? 10_000);
const samples = Number(process.argv[3] ?? Infinity);
const log = pino();

// unref: false keeps this example alive; in a server, the server does.
const sampler = new Sampler({ intervalMs, unref: false }).start();
let seen = 0;
sampler.on('sample', (s) => {
  const diagnosis = sampler.diagnose();
  // The flat object for queries and dashboards, the line for people.
  log.info(sampleLogFields(s, diagnosis), formatSampleLine(s, diagnosis));
  if (++seen >= samples) sampler.stop();
});
sampler.on('verdict', (diagnosis, previous) => {
  log.warn({ verdict: diagnosis.verdict, previous, advice: diagnosis.advice }, diagnosis.summary);
});
