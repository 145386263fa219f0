// Reads the labelled corpus of real traces (built by scripts/corpus/generate.mjs):
// index.json for what each trace is, the gzip'ed NDJSON for its records.
// Plain JSON parsing, no schema check, so that replaying ~200 traces in
// `npm test` takes a second or two.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

/** The corpus next to this file. */
export const CORPUS_DIR = dirname(fileURLToPath(import.meta.url));

/**
 * @typedef {'native-leak' | 'v8-leak' | 'fragmentation' | 'stable'} CorpusLabel
 *
 * @typedef {object} GcRecord One garbage collection, as recorded in the workload process.
 * @property {'gc'} type
 * @property {number} pid
 * @property {number} time When it ended, ms since the epoch (like a sample's `time`).
 * @property {number} durationMs
 * @property {'major' | 'minor' | 'incremental' | 'weakcb'} kind
 * @property {number} v8Used V8's used heap, read when the collection was reported.
 * @property {number | null} inUse The allocator's in-use bytes, read then.
 *
 * @typedef {object} CorpusTrace
 * @property {string} file Path of the trace, relative to the corpus directory.
 * @property {string} family The workload family that made it.
 * @property {CorpusLabel} label How the workload was built (and verified).
 * @property {Record<string, unknown>} params The family's parameters for this run.
 * @property {number} intervalMs The Sampler's interval (after `thin`, the thinned one).
 * @property {number} durationMs How long the workload was sampled.
 * @property {number} seed
 * @property {boolean} long One of the 200–300 s runs at 1 s.
 * @property {import('../../src/core/types').MemorySample[]} samples Oldest first.
 * @property {GcRecord[]} gcs Every collection during sampling, oldest first.
 * @property {Record<string, unknown>} verification The independent checks of the label (see scripts/corpus/README.md).
 * @property {string} node The Node version that ran it.
 * @property {number} [thinnedFromMs] The original interval, when thinned.
 */

/**
 * Reads one trace file's records.
 * @param {string} path
 * @returns {{ samples: import('../../src/core/types').MemorySample[], gcs: GcRecord[] }}
 */
export function readTrace(path) {
  const text = gunzipSync(readFileSync(path)).toString('utf8');
  const samples = [];
  const gcs = [];
  for (const line of text.split('\n')) {
    if (line.length === 0) continue;
    const record = JSON.parse(line);
    if (record.type === 'sample') samples.push(record.sample);
    else if (record.type === 'gc') gcs.push(record);
  }
  return { samples, gcs };
}

/**
 * Every trace of the corpus in `dir`, with its samples and collections,
 * in index order.
 * @param {string} [dir]
 * @returns {CorpusTrace[]}
 */
export function loadCorpus(dir = CORPUS_DIR) {
  const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8'));
  return index.traces.map((entry) => ({ ...entry, ...readTrace(join(dir, entry.file)) }));
}

/**
 * The trace as if it had been sampled every `intervalMs`: every k-th
 * sample (k = intervalMs / the trace's interval, rounded), from the first;
 * every collection is kept (a Sampler sees all of them whatever its interval).
 * @param {CorpusTrace} trace
 * @param {number} intervalMs
 * @returns {CorpusTrace}
 */
export function thin(trace, intervalMs) {
  if (!Number.isFinite(intervalMs) || intervalMs < trace.intervalMs) {
    throw new RangeError(`intervalMs must be a number ≥ the trace's interval (${trace.intervalMs} ms), got ${intervalMs}`);
  }
  const step = Math.max(1, Math.round(intervalMs / trace.intervalMs));
  if (step === 1) return trace;
  return {
    ...trace,
    intervalMs: trace.intervalMs * step,
    thinnedFromMs: trace.thinnedFromMs ?? trace.intervalMs,
    samples: trace.samples.filter((_, i) => i % step === 0),
  };
}
