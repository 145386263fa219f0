// Turns a run's raw records into the corpus file: the CLI's NDJSON format
// (run, process, sample and gc records, end), floats rounded, gzip'ed.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const r1 = (x) => Math.round(x * 10) / 10;
const r3 = (x) => Math.round(x * 1000) / 1000;

function compact(record, { dropMallinfo }) {
  if (record.type === 'sample') {
    const s = record.sample;
    s.time = r1(s.time);
    s.costNs = Math.round(s.costNs);
    if (dropMallinfo && s.heap) delete s.heap.mallinfo;
  } else if (record.type === 'gc') {
    record.time = r1(record.time);
    record.durationMs = r3(record.durationMs);
  }
  return record;
}

/** The gzip'ed NDJSON of one run, and how many records of each kind it holds. */
export function buildTrace({ rawFile, spec, result, mallinfoVersion, dropMallinfo = false }) {
  const lines = readFileSync(rawFile, 'utf8').split('\n').filter((l) => l.length > 0);
  const records = lines.map((l) => compact(JSON.parse(l), { dropMallinfo }));
  const run = {
    type: 'run',
    format: 'mallinfo-run',
    version: 1,
    command: ['node', 'scripts/corpus/run-workload.mjs', spec.family],
    cwd: '.',
    startedAt: result.startedAt,
    intervalMs: spec.intervalMs,
    autoTrim: false,
    mallinfoVersion,
    allocatorEnv: {},
  };
  const end = { type: 'end', time: result.endedAt, exitCode: 0, signal: null };
  const text = [run, ...records, end].map((r) => JSON.stringify(r)).join('\n') + '\n';
  return { gz: gzipSync(text, { level: 9 }), samples: records.filter((r) => r.type === 'sample').length, gcs: records.filter((r) => r.type === 'gc').length };
}
