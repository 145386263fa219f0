/**
 * A sample (and a diagnosis) for a log: one compact line for people, or a
 * flat object of numbers for structured loggers (pino, winston, bunyan),
 * whose keys say what each number is and its unit. What cannot be measured
 * (no allocator statistics on musl, no statm) is `n/a` in the line and
 * `null` in the object, never 0.
 * @packageDocumentation
 */
import type { Diagnosis, Verdict } from '../diagnose/diagnose-types';
import type { HeapAllocator, MemorySample } from '../core/types';
import { formatBytes } from '../core/units';
import { invalidType } from '../core/errors';

/** What {@link sampleLogFields} returns: flat, so that log pipelines can index every key. */
export interface SampleLogFields {
  /** `process.resident`: the RSS the kernel counts, in bytes. */
  rssBytes: number | null;
  /** `heap.inUse`: bytes the program holds through malloc. */
  mallocInUseBytes: number | null;
  /** `heap.free`: freed bytes the allocator keeps. */
  mallocFreeBytes: number | null;
  /** `heap.mapped`: bytes the allocator got from the kernel. */
  mallocMappedBytes: number | null;
  /** Whose statistics the `malloc*` keys are: `'glibc'`, `'jemalloc'`, `'tcmalloc'`, or `null` where there are none. */
  allocator: HeapAllocator | null;
  /** `v8.used`: live and not yet collected JS objects, in bytes. */
  v8UsedBytes: number;
  /** `v8.external`: memory outside the JS heap kept alive by JS objects (Buffers), in bytes. */
  v8ExternalBytes: number;
  /** `costNs` in microseconds: how long reading the allocator and statm took. */
  sampleCostMicros: number;
  /** The diagnosis's verdict, when a diagnosis was given. */
  verdict?: Verdict;
  /** Its confidence, 0 to 1. */
  verdictConfidence?: number;
  /** Its summary sentence. */
  verdictSummary?: string;
}

const SAMPLE = 'a MemorySample from sample() or a Sampler';
const DIAGNOSIS = 'a Diagnosis from diagnose() or sampler.diagnose() (or null)';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkSample(sample: unknown): MemorySample {
  if (!isObject(sample) || typeof sample.costNs !== 'number' || !isObject(sample.v8) || !('heap' in sample) || !('process' in sample)) {
    throw invalidType('sample', SAMPLE, sample);
  }
  return sample as unknown as MemorySample;
}

function checkDiagnosis(diagnosis: unknown): Diagnosis | null {
  if (diagnosis === undefined || diagnosis === null) return null;
  if (!isObject(diagnosis) || typeof diagnosis.verdict !== 'string' || typeof diagnosis.confidence !== 'number' || typeof diagnosis.summary !== 'string') {
    throw invalidType('diagnosis', DIAGNOSIS, diagnosis);
  }
  return diagnosis as unknown as Diagnosis;
}

/**
 * One line for a human reader: RSS, what malloc holds in use and keeps
 * free, V8's heap and external memory, and the verdict when a diagnosis is
 * given.
 *
 * @param sample - a `MemorySample` from `sample()` or a Sampler.
 * @param diagnosis - optional: `sampler.diagnose()` or `diagnose(samples)`.
 * @throws TypeError when `sample` is not a sample or `diagnosis` not a diagnosis.
 * @example
 * ```js
 * formatSampleLine(sample(), sampler.diagnose());
 * // 'RSS 535.7 MB · malloc in use 7.5 MB, free 479.4 MB · V8 used 3.8 MB, external 1.0 MB · fragmentation (87 %)'
 * ```
 */
export function formatSampleLine(sample: MemorySample, diagnosis?: Diagnosis | null): string {
  const s = checkSample(sample);
  const d = checkDiagnosis(diagnosis);
  const heap = s.heap === null ? 'malloc n/a (no allocator statistics)' : `malloc in use ${formatBytes(s.heap.inUse)}, free ${formatBytes(s.heap.free)}`;
  const parts = [`RSS ${formatBytes(s.process?.resident)}`, heap, `V8 used ${formatBytes(s.v8.used)}, external ${formatBytes(s.v8.external)}`];
  if (d !== null) parts.push(d.verdict === 'insufficient-data' ? 'verdict: not enough data yet' : `${d.verdict} (${Math.round(d.confidence * 100)} %)`);
  return parts.join(' · ');
}

/**
 * A flat object of the sample's key numbers, in bytes, for a structured
 * logger (`logger.info(sampleLogFields(s), 'memory')`), with the verdict,
 * its confidence and summary when a diagnosis is given. Unmeasured numbers
 * are `null`.
 *
 * @param sample - a `MemorySample` from `sample()` or a Sampler.
 * @param diagnosis - optional: `sampler.diagnose()` or `diagnose(samples)`.
 * @throws TypeError when `sample` is not a sample or `diagnosis` not a diagnosis.
 */
export function sampleLogFields(sample: MemorySample, diagnosis?: Diagnosis | null): SampleLogFields {
  const s = checkSample(sample);
  const d = checkDiagnosis(diagnosis);
  const fields: SampleLogFields = {
    rssBytes: s.process?.resident ?? null,
    mallocInUseBytes: s.heap?.inUse ?? null,
    mallocFreeBytes: s.heap?.free ?? null,
    mallocMappedBytes: s.heap?.mapped ?? null,
    allocator: s.heap?.allocator ?? null,
    v8UsedBytes: s.v8.used,
    v8ExternalBytes: s.v8.external,
    sampleCostMicros: Math.round(s.costNs / 10) / 100,
  };
  if (d !== null) {
    fields.verdict = d.verdict;
    fields.verdictConfidence = d.confidence;
    fields.verdictSummary = d.summary;
  }
  return fields;
}
