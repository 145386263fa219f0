// Scores diagnose() over the corpus: every trace replayed at its own
// interval and thinned to slower ones (as long as 20 samples remain), as
// a confusion matrix, per family, with the time to a right verdict and the
// verdict changes a Sampler would have gone through. Used by the corpus
// test (npm test) and by `npm run bench` (bench/verdicts.mjs).
import { replay } from './replay.mjs';

export const VERDICTS = ['native-leak', 'v8-leak', 'fragmentation', 'stable', 'insufficient-data'];
export const LABELS = ['native-leak', 'v8-leak', 'fragmentation', 'stable'];

/** The intervals a trace is replayed at: its own, then 1, 2, 5 and 10 s where at least `minSamples` remain. */
export function intervalsFor(trace, minSamples = 20) {
  const own = trace.intervalMs;
  const durationMs = trace.samples.at(-1).time - trace.samples[0].time;
  return [own, 500, 1000, 2000, 5000, 10_000].filter((ms, i) => (i === 0 || ms > own) && durationMs / ms + 1 >= minSamples);
}

/** One case per (trace, interval): the final verdict, and with `timeline` the Sampler's way there. */
export function scoreCorpus(traces, { timeline = false, every = 1, intervals = intervalsFor } = {}) {
  const cases = [];
  for (const trace of traces) {
    for (const intervalMs of intervals(trace)) {
      const r = replay(trace, { intervalMs, timeline, every });
      cases.push({
        file: trace.file,
        family: trace.family,
        label: trace.label,
        params: trace.params,
        intervalMs,
        durationMs: trace.samples.at(-1).time - trace.samples[0].time,
        samples: r.samples,
        verdict: r.final.verdict,
        confidence: r.final.confidence,
        summary: r.final.summary,
        diagnosis: r.final,
        right: r.final.verdict === trace.label,
        firstVerdictAtMs: r.firstVerdictAtMs,
        rightFromMs: r.rightFromMs,
        changes: r.changes,
        tracked: r.tracked,
      });
    }
  }
  return cases;
}

/** Label × verdict counts. */
export function confusion(cases) {
  const m = Object.fromEntries(LABELS.map((l) => [l, Object.fromEntries(VERDICTS.map((v) => [v, 0]))]));
  for (const c of cases) m[c.label][c.verdict]++;
  return m;
}

const median = (xs) => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)];
};

/** Per family: cases, right, median time to a right verdict that held, changes after the first verdict. */
export function byFamily(cases) {
  const out = new Map();
  for (const c of cases) {
    const f = out.get(c.family) ?? { family: c.family, label: c.label, cases: 0, right: 0, rightFromMs: [], withChanges: 0, maxChanges: 0 };
    f.cases++;
    if (c.right) f.right++;
    if (c.rightFromMs !== null) f.rightFromMs.push(c.rightFromMs);
    if (c.changes > 0) f.withChanges++;
    f.maxChanges = Math.max(f.maxChanges, c.changes);
    out.set(c.family, f);
  }
  return [...out.values()]
    .map((f) => ({ ...f, medianRightFromMs: median(f.rightFromMs) }))
    .sort((a, b) => a.label.localeCompare(b.label) || a.family.localeCompare(b.family));
}

/** The confusion matrix as aligned text lines. */
export function confusionLines(cases) {
  const m = confusion(cases);
  const head = ['label \\ verdict', ...VERDICTS];
  const rows = LABELS.map((l) => [l, ...VERDICTS.map((v) => String(m[l][v]))]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r) => r.map((x, i) => (i === 0 ? x.padEnd(widths[i]) : x.padStart(widths[i]))).join('  ');
  return [line(head), ...rows.map(line)];
}
