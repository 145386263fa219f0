/**
 * The verdict part of the CLI, in one module: the only caller of
 * `diagnose()`, and how a diagnosis is shown (a panel line, text lines,
 * labelled facts for the report). The rest of the CLI passes a
 * {@link Diagnosis} along without looking inside.
 * @packageDocumentation
 */
import { diagnose } from '../diagnose/diagnose';
import type { Collection } from '../diagnose/collections';
import type { Diagnosis } from '../diagnose/diagnose-types';
import type { MemorySample } from '../core/types';
import { formatBytes, formatDuration } from './format';

export type { Diagnosis };

/**
 * `diagnose()` over one process's samples (oldest first), with its
 * garbage collections, as `Sampler#diagnose()` does inside a process;
 * null without samples.
 */
export function verdictOf(samples: readonly MemorySample[], collections: readonly Collection[]): Diagnosis | null {
  return samples.length === 0 ? null : diagnose(samples, { collections });
}

const percent = (share: number): string => `${Math.round(share * 100)} %`;

/** The verdict in a few words, for the panel and the per-sample lines: `fragmentation (92 %)`. */
export function verdictHeadline(d: Diagnosis | null): string {
  if (d === null) return 'waiting for samples';
  if (d.verdict === 'insufficient-data') return `none yet (${d.evidence.window.samples} sample${d.evidence.window.samples === 1 ? '' : 's'} so far)`;
  return `${d.verdict} (confidence ${percent(d.confidence)})`;
}

/** The evidence as labelled facts, for the text summary and the HTML report. */
export function evidenceFacts(d: Diagnosis): { label: string; value: string }[] {
  const e = d.evidence;
  const facts = [{ label: 'samples', value: `${e.window.samples} over ${formatDuration(e.window.durationMs)}` }];
  if (e.unexplained) {
    const u = e.unexplained;
    facts.push({
      label: 'freed memory kept resident and unused',
      value:
        `${formatBytes(u.idle)} (${percent(u.idleShare)} of anonymous RSS) that no in-use value reached over the last third of the window, ` +
        `unused for ${formatDuration(u.idleForMs)}${u.beforeTrim ? ' before a trim' : ''}; in-use peaked at ${formatBytes(u.peakInUse)}; ` +
        `malloc's free bytes ${formatBytes(u.free)}; a trim would give back about ${formatBytes(u.trimEstimate)} now`,
    });
  }
  for (const f of e.findings) {
    facts.push({ label: f.kind, value: `${f.found ? 'found' : 'not found'} (score ${f.score.toFixed(2)}): ${f.summary}` });
  }
  const collections =
    e.collections === null
      ? `at least ${e.gcs} (falls of V8's heap)${e.fullGcs === null ? '' : `, ${e.fullGcs} of them full`}`
      : `${e.collections}, ${e.fullGcs} of them full`;
  facts.push({ label: 'garbage collections', value: collections });
  if (e.trims) facts.push({ label: 'trims seen', value: String(e.trims) });
  for (const note of e.notes) facts.push({ label: 'note', value: note });
  return facts;
}

/**
 * The advice of the diagnosis, and for fragmentation in a run without
 * `--auto-trim` the CLI's own way to act on it.
 */
export function adviceOf(d: Diagnosis, autoTrim: boolean): string[] {
  if (d.verdict !== 'fragmentation' || autoTrim) return d.advice;
  return [...d.advice, 'Under mallinfo run, --auto-trim trims the watched process whenever freed memory has become resident again.'];
}

/** The verdict, its evidence and advice, as lines of text for the end-of-run summary. */
export function verdictLines(d: Diagnosis, autoTrim: boolean): string[] {
  const confidence = d.verdict === 'insufficient-data' ? '' : `, confidence ${percent(d.confidence)}`;
  return [
    `verdict: ${d.verdict}${confidence}`,
    `  ${d.summary}`,
    'evidence:',
    ...evidenceFacts(d).map((f) => `  • ${f.label}: ${f.value}`),
    'advice:',
    ...adviceOf(d, autoTrim).map((a) => `  • ${a}`),
  ];
}
