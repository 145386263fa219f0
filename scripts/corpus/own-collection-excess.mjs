#!/usr/bin/env node
// How far V8's own full collections read V8's heap above live memory, on
// collecting traces of steady workloads: each reading after one of V8's
// full collections less the mean of the Sampler's forced readings (live
// memory) just before and after it, when those are within 2.5 s of each
// other. Prints per trace the count, median and 90th percentile, MB.
// Usage: node scripts/corpus/own-collection-excess.mjs test/corpus/collecting [more corpus dirs…]
import { resolve } from 'node:path';
import { withoutForcedOwnGcs } from '../../lib/diagnose/collections.js';
import { loadCorpus } from '../../test/corpus/load.mjs';
import { asCollections } from '../../test/corpus/replay.mjs';

const MiB = 1024 * 1024;
/** Forced readings farther apart than this do not bracket a steady live heap. */
const MAX_BRACKET_MS = 2500;
const dirs = process.argv.slice(2);
if (dirs.length === 0) throw new TypeError('corpus directories: expected one or more paths (e.g. test/corpus/collecting)');

const quantileOf = (sorted, q) => sorted[Math.floor(q * (sorted.length - 1))];
const rows = [];
for (const dir of dirs) {
  for (const trace of loadCorpus(resolve(dir))) {
    if (trace.label !== 'stable') continue;
    const list = withoutForcedOwnGcs(asCollections(trace.gcs)).sort((a, b) => a.time - b.time);
    const excess = [];
    for (let i = 1; i < list.length - 1; i++) {
      const own = list[i];
      if (own.kind !== 'major' || own.forced === true || own.v8Used === null) continue;
      let before = i - 1;
      while (before >= 0 && list[before].forced !== true) before--;
      let after = i + 1;
      while (after < list.length && list[after].forced !== true) after++;
      if (before < 0 || after === list.length || list[after].time - list[before].time > MAX_BRACKET_MS) continue;
      excess.push((own.v8Used - (list[before].v8Used + list[after].v8Used) / 2) / MiB);
    }
    if (excess.length < 3) continue;
    excess.sort((a, b) => a - b);
    rows.push({ family: trace.family, file: trace.file, readings: excess.length, 'median MB': +quantileOf(excess, 0.5).toFixed(2), 'p90 MB': +quantileOf(excess, 0.9).toFixed(2) });
  }
}
console.table(rows.sort((a, b) => a.family.localeCompare(b.family)));
