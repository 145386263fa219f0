// diagnose() over the recorded corpus of real workloads (test/corpus, made
// by scripts/corpus/generate.mjs): every trace replayed as a Sampler would
// have seen it, at its own interval and thinned to slower ones. Each
// trace's label comes from how its workload was built, checked by gc()
// probes and a trim in the run that recorded it, never by diagnose().
// `npm run bench` prints the full confusion matrix (bench/verdicts.mjs).
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Diagnosis } from '../src/diagnose/diagnose-types';
import { RISE_OVER_FALLS } from '../src/diagnose/findings';

interface Case {
  file: string;
  family: string;
  label: string;
  intervalMs: number;
  durationMs: number;
  verdict: string;
  summary: string;
  diagnosis: Diagnosis;
  right: boolean;
  changes: number;
  firstVerdictAtMs: number | null;
}
interface Corpus {
  CORPUS_DIR: string;
  loadCorpus(dir?: string): { file: string; family: string; label: string; intervalMs: number; samples: unknown[] }[];
}
interface Score {
  scoreCorpus(traces: unknown[], options?: { timeline?: boolean; every?: number; intervals?: (t: { intervalMs: number }) => number[] }): Case[];
  confusionLines(cases: Case[]): string[];
}

const { loadCorpus, CORPUS_DIR: corpusDir } = (await import('./corpus/load.mjs')) as Corpus;
const { scoreCorpus, confusionLines } = (await import('./corpus/score.mjs')) as Score;
const traces = loadCorpus();
let cases: Case[] = [];
beforeAll(() => {
  cases = scoreCorpus(traces);
  console.log(confusionLines(cases).join('\n'));
});

/** Families whose free memory is working-set churn the program takes back: never fragmentation, never a trim. */
const CHURN = ['bounded-buffer-cache', 'lru-bounded-cache', 'warmup-cache', 'buffer-sawtooth', 'js-garbage-sawtooth'];
const LEAKS = ['native-leak', 'v8-leak'];
const wrongVerdict = (c: Case): boolean => !c.right && c.verdict !== 'insufficient-data';
const describeCase = (c: Case): string => `${c.family} ${c.file} @${c.intervalMs} ms: ${c.label} → ${c.verdict}: ${c.summary}`;

describe('the corpus', () => {
  it('holds at least 200 labelled traces of every verdict, from many families', () => {
    expect(traces.length).toBeGreaterThanOrEqual(200);
    for (const label of ['native-leak', 'v8-leak', 'fragmentation', 'stable']) {
      expect(new Set(traces.filter((t) => t.label === label).map((t) => t.family)).size).toBeGreaterThanOrEqual(3);
    }
  });
});

describe('diagnose() over the corpus', () => {
  it('never calls a leak stable once a Sampler at 1 s or faster has run 60 s', () => {
    const bad = cases.filter((c) => LEAKS.includes(c.label) && c.verdict === 'stable' && c.durationMs >= 60_000 && c.intervalMs <= 1000);
    expect(bad.map(describeCase)).toEqual([]);
  });

  it('calls no leak stable at all, at any interval or window, here or on the held-out traces that once were (corpus/regressions)', () => {
    const regressions = scoreCorpus(loadCorpus(join(corpusDir, 'regressions')));
    expect(regressions.length).toBeGreaterThanOrEqual(4);
    const bad = [...cases, ...regressions].filter((c) => LEAKS.includes(c.label) && c.verdict === 'stable');
    expect(bad.map(describeCase)).toEqual([]);
  });

  it('never calls working-set churn fragmentation, nor advises a trim there', () => {
    const bad = cases.filter((c) => CHURN.includes(c.family) && c.verdict === 'fragmentation');
    expect(bad.map(describeCase)).toEqual([]);
  });

  // Measured on 230 traces, 825 cases: 13 wrong (1.6 %, all steady services or
  // caches called a leak), 513 right (62 %), 188 of the 232 cases of 60 s or
  // more right (81 %); the rest "no verdict yet". These bounds keep it there.
  it('gives a wrong verdict (not just none yet) in at most 2 % of cases', () => {
    const wrong = cases.filter(wrongVerdict);
    expect(wrong.length, wrong.map(describeCase).join('\n')).toBeLessThanOrEqual(Math.floor(cases.length * 0.02));
  });

  it('is right in most cases, and in four of five once the window reaches 60 s', () => {
    const share = (some: Case[]): number => some.filter((c) => c.right).length / some.length;
    expect(share(cases)).toBeGreaterThanOrEqual(0.6);
    expect(share(cases.filter((c) => c.durationMs >= 60_000))).toBeGreaterThanOrEqual(0.8);
  });

  // A leak found with no full collection in the window's last third rests
  // either on a rise larger than any fall (nothing was seen to give back as
  // much) or on a reading after an earlier full collection above an earlier
  // low; the summary must name the one it rested on.
  it('says what a leak with no late full collection rests on, truthfully', () => {
    const late = cases.filter((c) => LEAKS.includes(c.verdict) && /No full garbage collection has run since|The last full garbage collection/.test(c.summary));
    const wrongWords = late.filter((c) => {
      const e = c.diagnosis.evidence;
      const held = (c.verdict === 'v8-leak' ? e.v8Used : (e.inUse ?? e.nativeResident))!.held;
      const saysNothingGaveBack = c.summary.includes('no collection in the window ever gave back that much');
      return saysNothingGaveBack !== held.rise >= RISE_OVER_FALLS * held.largestFall;
    });
    expect(wrongWords.map(describeCase)).toEqual([]);
    expect(late.filter((c) => c.summary.includes('The last full garbage collection')).length).toBeGreaterThan(0);
  });

  // A Buffer sawtooth at 100 ms for 22 s: V8's own full collection at 18 s
  // read 19 MB (what was allocated while it marked survived it), the one
  // at 8 s 3 MB. One such reading in the last third, of a rise collections
  // gave back as much of before, once made it a native leak at 0.99.
  it('takes no single one of V8’s own collections in the last third as proof of a rise collections gave back before', () => {
    const sawtooth = cases.filter((c) => c.file.endsWith('buffer-sawtooth-lzg8ny.ndjson.gz'));
    expect(sawtooth.length).toBeGreaterThanOrEqual(3);
    for (const c of sawtooth) {
      expect(c.verdict, describeCase(c)).toBe('insufficient-data');
      expect(c.summary).toMatch(/only one collection since/);
    }
  });

  it('changes a Sampler’s verdict at most once after its first, sampling every second', () => {
    const timeline = scoreCorpus(traces, { timeline: true, every: 4, intervals: (t) => [Math.max(1000, t.intervalMs)] });
    const flapping = timeline.filter((c) => c.changes > 1);
    expect(flapping.map(describeCase)).toEqual([]);
  });
});

// The corpus recorded with the Sampler's own full collections
// (scripts/corpus/generate.mjs --collect-every 1000): the same families,
// judged by readings of live memory.
describe('diagnose() over the collecting corpus (collectEveryMs)', () => {
  const collecting = loadCorpus(join(corpusDir, 'collecting'));
  let some: Case[] = [];
  beforeAll(() => {
    some = scoreCorpus(collecting);
    console.log(confusionLines(some).join('\n'));
  });

  it('holds traces of every verdict whose Sampler collected', () => {
    expect(collecting.length).toBeGreaterThanOrEqual(60);
    for (const label of ['native-leak', 'v8-leak', 'fragmentation', 'stable']) expect(collecting.filter((t) => t.label === label).length).toBeGreaterThanOrEqual(5);
  });

  it('calls no leak stable and no churn fragmentation', () => {
    const bad = some.filter((c) => (LEAKS.includes(c.label) && c.verdict === 'stable') || (CHURN.includes(c.family) && c.verdict === 'fragmentation'));
    expect(bad.map(describeCase)).toEqual([]);
  });

  // Measured on 66 traces, 236 cases: 219 right (92.8 %), none wrong, the rest
  // "no verdict yet" (worker threads' garbage, which the main thread's
  // collections do not reach; working sets that swing a few times in the
  // window, several times the leak's rise). These bounds keep it there.
  it('is right in 92 % of cases, wrong in at most 1 %', () => {
    const wrong = some.filter(wrongVerdict);
    expect(wrong.length, wrong.map(describeCase).join('\n')).toBeLessThanOrEqual(Math.floor(some.length * 0.01));
    expect(some.filter((c) => c.right).length / some.length).toBeGreaterThanOrEqual(0.92);
  });
});
