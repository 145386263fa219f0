// formatSampleLine() and sampleLogFields(): the numbers of a real sample, in
// a line and in a flat object; unmeasured numbers never shown as 0; bad
// input named; and the pino example's log lines carry them.
import { describe, expect, it } from 'vitest';
import { diagnose, formatSampleLine, sample, sampleLogFields, type Diagnosis, type MemorySample } from 'mallinfo';
import { formatBytes } from '../src/core/units';
import { MiB, runNode } from './helpers';

describe('sampleLogFields()', () => {
  it('copies the sample’s numbers under names that say their unit', () => {
    const s = sample();
    const fields = sampleLogFields(s);
    expect(fields).toEqual({
      rssBytes: s.process!.resident,
      mallocInUseBytes: s.heap!.inUse,
      mallocFreeBytes: s.heap!.free,
      mallocMappedBytes: s.heap!.mapped,
      allocator: 'glibc',
      v8UsedBytes: s.v8.used,
      v8ExternalBytes: s.v8.external,
      sampleCostMicros: expect.closeTo(s.costNs / 1000, 1), // rounded to 0.01 µs
    });
    // Flat: every value a scalar, so that any log pipeline can index it.
    for (const value of Object.values(fields)) expect(['number', 'string', 'object']).toContain(typeof value);
    expect(Object.values(fields).filter((v) => typeof v === 'object' && v !== null)).toEqual([]);
  });

  it('says null, not 0, where the allocator gives no statistics', () => {
    const s: MemorySample = { ...sample(), heap: null };
    expect(sampleLogFields(s)).toMatchObject({ mallocInUseBytes: null, mallocFreeBytes: null, mallocMappedBytes: null, allocator: null });
  });

  it('adds the verdict, its confidence and its summary from a diagnosis', () => {
    const samples = Array.from({ length: 5 }, () => sample());
    const d = diagnose(samples);
    expect(sampleLogFields(samples[4], d)).toMatchObject({ verdict: 'insufficient-data', verdictConfidence: 0, verdictSummary: d.summary });
  });
});

describe('formatSampleLine()', () => {
  it('shows RSS, malloc in use and free, and V8 in human units', () => {
    const held = Buffer.alloc(8 * MiB, 1);
    const s = sample();
    const line = formatSampleLine(s);
    expect(line).toBe(
      `RSS ${formatBytes(s.process!.resident)} · malloc in use ${formatBytes(s.heap!.inUse)}, free ${formatBytes(s.heap!.free)} · ` +
        `V8 used ${formatBytes(s.v8.used)}, external ${formatBytes(s.v8.external)}`,
    );
    expect(line).toMatch(/^RSS \d+\.\d MB · malloc in use \d+\.\d MB/);
    expect(held.length).toBe(8 * MiB);
  });

  it('ends with the verdict and its confidence in percent', () => {
    const s = sample();
    const d = { ...diagnose([s]), verdict: 'fragmentation', confidence: 0.87 } as Diagnosis;
    expect(formatSampleLine(s, d)).toMatch(/ · fragmentation \(87 %\)$/);
    expect(formatSampleLine(s, diagnose([s]))).toMatch(/ · verdict: not enough data yet$/);
  });

  it('says n/a where there are no allocator statistics', () => {
    expect(formatSampleLine({ ...sample(), heap: null })).toContain(' · malloc n/a (no allocator statistics) · ');
  });

  it('rejects what is not a sample or a diagnosis with a TypeError naming the parameter', () => {
    expect(() => formatSampleLine({} as MemorySample)).toThrow(/^sample must be a MemorySample from sample\(\) or a Sampler, got an object$/);
    expect(() => sampleLogFields(undefined as unknown as MemorySample)).toThrow(TypeError);
    expect(() => formatSampleLine(sample(), { verdict: 'stable' } as Diagnosis)).toThrow(/^diagnosis must be a Diagnosis/);
    try {
      formatSampleLine(null as unknown as MemorySample);
    } catch (error) {
      expect((error as { code?: string }).code).toBe('ERR_INVALID_ARG_TYPE');
    }
  });
});

describe('examples/pino-logging.mjs', () => {
  it('writes one pino JSON line per sample with the fields and the line as its message', async () => {
    const { stdout } = await runNode(['examples/pino-logging.mjs', '50', '4']);
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const infos = lines.filter((l) => l.level === 30);
    expect(infos).toHaveLength(4);
    for (const l of infos) {
      expect(l.rssBytes).toBeGreaterThan(10 * MiB);
      expect(l.mallocInUseBytes).toBeGreaterThan(0);
      expect(l.verdict).toBe('insufficient-data');
      expect(l.msg).toMatch(/^RSS .* · verdict: not enough data yet$/);
    }
  });
});
