// The corpus of real traces (scripts/corpus/generate.mjs) and its loader:
// every file is in the CLI's NDJSON format, every label still passes its
// independent check from the numbers kept in index.json, every family and
// verdict is there, the whole fits the repository, and thin() keeps every
// k-th sample and every collection.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkRecord } from '../../src/cli/records';
import { families as familiesByName } from '../../scripts/corpus/families/index.mjs';
import { verify } from '../../scripts/corpus/verify.mjs';
import { CORPUS_DIR, loadCorpus, thin, type CorpusTrace } from './load.mjs';

const MiB = 1024 * 1024;
const families = familiesByName as Record<string, { label: string }>;
const index = JSON.parse(readFileSync(join(CORPUS_DIR, 'index.json'), 'utf8')) as {
  traces: { file: string; family: string; label: string; samples: number; gcs: number; verification: Record<string, unknown> }[];
  rejected: { family: string; reason: string }[];
};
let corpus: CorpusTrace[];

beforeAll(() => {
  corpus = loadCorpus();
});

describe('the corpus', () => {
  it('loads every trace of the index, samples oldest first and as many as the index says', () => {
    expect(corpus).toHaveLength(index.traces.length);
    for (const [i, t] of corpus.entries()) {
      expect(t.samples, t.file).toHaveLength(index.traces[i]!.samples);
      expect(t.gcs, t.file).toHaveLength(index.traces[i]!.gcs);
      for (let k = 1; k < t.samples.length; k++) expect(t.samples[k]!.time).toBeGreaterThan(t.samples[k - 1]!.time);
      // Sampling ran for the run's duration, at its interval (the Sampler backs off while mallinfo2 is slow on a fragmented heap, and a loaded machine skips ticks).
      expect(t.samples.length, t.file).toBeGreaterThanOrEqual(Math.floor((0.5 * t.durationMs) / t.intervalMs));
    }
  });

  it('is in the CLI’s NDJSON format: run, process, samples and collections, end', () => {
    for (const t of index.traces) {
      const records = gunzipSync(readFileSync(join(CORPUS_DIR, t.file)))
        .toString('utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      for (const r of records) expect(checkRecord(r), `${t.file}: ${r.type}`).not.toBeNull();
      expect(records[0]!.type).toBe('run');
      expect(records[1]!.type).toBe('process');
      expect(records[records.length - 1]!.type).toBe('end');
      for (const r of records.filter((x) => x.type === 'gc')) {
        expect(['major', 'minor', 'incremental', 'weakcb']).toContain(r.kind);
        expect(r.v8Used).toBeGreaterThan(0);
        expect(r.durationMs).toBeGreaterThanOrEqual(0);
      }
    }
  });

  it('keeps only traces whose label passes its independent check, from the numbers in the index', () => {
    for (const t of index.traces) {
      const v = t.verification as { before: unknown; after: unknown; trim: unknown; built: unknown; rebound: unknown };
      const check = verify(t.label, v);
      expect(check.ok, `${t.file}: ${check.reason}`).toBe(true);
      expect(families[t.family]?.label, t.file).toBe(t.label);
    }
  });

  it('holds every family and several per verdict, in under 8 MB', () => {
    const seen = new Set(index.traces.map((t) => t.family));
    for (const name of Object.keys(families)) expect(seen, name).toContain(name);
    for (const label of ['native-leak', 'v8-leak', 'fragmentation', 'stable']) {
      expect(index.traces.filter((t) => t.label === label).length, label).toBeGreaterThanOrEqual(4);
    }
    const bytes = index.traces.reduce((sum, t) => sum + statSync(join(CORPUS_DIR, t.file)).size, 0);
    expect(bytes).toBeLessThan(8 * MiB);
  });
});

describe('thin', () => {
  it('keeps every k-th sample from the first and every collection', () => {
    const t = corpus.find((x) => x.intervalMs === 250 && x.samples.length >= 40)!;
    const thinned = thin(t, 1000);
    expect(thinned.intervalMs).toBe(1000);
    expect(thinned.thinnedFromMs).toBe(250);
    expect(thinned.samples).toEqual(t.samples.filter((_, i) => i % 4 === 0));
    expect(thinned.gcs).toBe(t.gcs);
    expect(thin(thinned, 2000).samples).toEqual(t.samples.filter((_, i) => i % 8 === 0));
    expect(thin(t, 250)).toBe(t);
  });

  it('refuses an interval shorter than the trace’s', () => {
    const t = corpus[0]!;
    expect(() => thin(t, t.intervalMs / 2)).toThrow(RangeError);
  });
});

describe('thinForced', () => {
  it('drops a forced collection a slower Sampler would not have run, and the two GCs V8 reported for it', async () => {
    const { thinForced } = (await import('./replay.mjs')) as { thinForced: (c: object[], ms: number) => { time: number; forced?: true }[] };
    const forcedAt = (t: number) => [
      { time: t - 12, kind: 'major', durationMs: 6 },
      { time: t, kind: 'major', durationMs: 6 },
      { time: t, kind: 'major', durationMs: 15, forced: true },
    ];
    const own = { time: 1500, kind: 'major', durationMs: 8 };
    const kept = thinForced([...forcedAt(1000), own, ...forcedAt(2000), ...forcedAt(3000)], 2000);
    expect(kept.map((c) => [c.time, c.forced === true])).toEqual([
      [988, false],
      [1000, false],
      [1000, true],
      [1500, false],
      [2988, false],
      [3000, false],
      [3000, true],
    ]);
  });
});
