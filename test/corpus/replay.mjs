// Replays a recorded trace through diagnose() as a Sampler would have seen
// it: a history ring of `history` samples at the trace's (thinned)
// interval, the collections it records (in-use read after full ones only,
// at most one per 100 ms, like the Sampler's CollectionLog), a diagnosis
// after each sample (`every` thins that to save time) and a VerdictTracker
// for the verdict event.
import { withoutForcedOwnGcs } from '../../lib/diagnose/collections.js';
import { diagnose } from '../../lib/diagnose/diagnose.js';
import { VerdictTracker } from '../../lib/sampler/verdict-tracker.js';

/** The trace's gc records as the Sampler would have recorded them. */
export function asCollections(gcs) {
  const out = [];
  let lastInUse = Number.NEGATIVE_INFINITY;
  for (const g of gcs) {
    if (!['major', 'minor', 'incremental', 'weakcb'].includes(g.kind)) continue;
    let inUse = null;
    if (g.kind === 'major' && g.inUse !== null && g.inUse !== undefined && g.time - lastInUse >= 100) {
      inUse = g.inUse;
      lastInUse = g.time;
    }
    // The Sampler's own collections (collectEveryMs) are recorded as such, in-use always read.
    if (g.forced === true) out.push({ time: g.time, kind: 'major', durationMs: g.durationMs ?? null, v8Used: g.v8Used, inUse: g.inUse ?? null, ...(g.v8External === undefined ? {} : { v8External: g.v8External }), forced: true });
    else out.push({ time: g.time, kind: g.kind, durationMs: g.durationMs ?? null, v8Used: g.v8Used ?? null, inUse });
  }
  return out;
}

/**
 * The Sampler's own collections (collectEveryMs) as a Sampler at
 * `intervalMs` would have run them: it collects after a sample, so at
 * most one per interval.
 */
export function thinForced(collections, intervalMs) {
  let last = Number.NEGATIVE_INFINITY;
  const dropped = [];
  const kept = collections.filter((c) => {
    if (c.forced !== true) return true;
    if (c.time - last < 0.9 * intervalMs) {
      dropped.push(c);
      return false;
    }
    last = c.time;
    return true;
  });
  // A collection not run has no GCs either: drop the two V8 reported for it (those that ended within its pause, as diagnose() tells them).
  const ranAnyway = new Set(withoutForcedOwnGcs([...kept.filter((c) => c.forced !== true), ...dropped]));
  return kept.filter((c) => c.forced === true || ranAnyway.has(c));
}

/** Keeps every k-th sample so that they are about `intervalMs` apart. */
export function thinSamples(samples, fromMs, toMs) {
  const k = Math.max(1, Math.round(toMs / fromMs));
  return samples.filter((_, i) => i % k === 0);
}

/**
 * The final diagnosis over the last `history` samples, and, with
 * `timeline`, the tracked verdict after each sample: when the first
 * verdict came, how many times it changed after, and from when it was
 * right (the label) to the end.
 */
export function replay(trace, { intervalMs = trace.intervalMs, history = 360, timeline = false, every = 1, options = {} } = {}) {
  const samples = thinSamples(trace.samples, trace.intervalMs, intervalMs);
  const collections = thinForced(asCollections(trace.gcs), intervalMs);
  const windowOf = (end) => samples.slice(Math.max(0, end - history), end);
  const diagnoseUpTo = (end) => {
    const w = windowOf(end);
    const from = w[0].time;
    const to = w[w.length - 1].time;
    return diagnose(w, { ...options, collections: collections.filter((c) => c.time >= from && c.time <= to) });
  };
  const final = diagnoseUpTo(samples.length);
  const result = { samples: samples.length, intervalMs, final, firstVerdictAtMs: null, rightFromMs: null, changes: 0, tracked: null };
  if (!timeline) return result;
  const tracker = new VerdictTracker();
  const start = samples[0].time;
  let rightSince = null;
  for (let end = 2; end <= samples.length; end++) {
    if (end < samples.length && end % every !== 0) continue;
    const d = end === samples.length ? final : diagnoseUpTo(end);
    const before = tracker.verdict;
    const changed = tracker.update(d, samples[end - 1].time);
    const at = samples[end - 1].time - start;
    if (changed) {
      if (before === 'insufficient-data') result.firstVerdictAtMs = at;
      else result.changes++;
    }
    if (tracker.verdict === trace.label) rightSince ??= at;
    else rightSince = null;
  }
  result.rightFromMs = rightSince;
  result.tracked = tracker.verdict;
  return result;
}
