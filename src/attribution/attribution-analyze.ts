/**
 * From captured material (two heap snapshots, two sampling profiles) to an
 * {@link AttributionReport}: the one place where the diff and the sampling
 * profiles meet, shared by the in-process API and the CLI (which reads the
 * files a watched process wrote).
 * @packageDocumentation
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { diffSnapshots, snapshotIds } from './attribution-diff';
import { HeapGraph } from './attribution-graph';
import { growingSites, type SamplingProfile } from './attribution-sampling';
import type { AttributionReport } from './attribution-types';

/** The package's compiled files (lib/, one level up from this folder): stacks and retainers through them are mallinfo's own. */
const PACKAGE_LIB = join(__dirname, '..');

/** How much of the report to keep. */
export interface AnalyzeLimits {
  /** Growth groups kept, largest first (default 20). */
  maxGroups?: number;
  /** Allocation stacks kept, largest first (default 10). */
  maxAllocations?: number;
  /** Leave out objects kept through objects of these constructors (default: mallinfo's own sampler and capture). */
  excludeRetainedBy?: readonly string[];
  /**
   * Leave out objects kept through functions, and allocation stacks through
   * frames, of files under this directory (default: mallinfo's own code).
   */
  excludeUnder?: string;
}

/** mallinfo's own objects in a watched process: their growth is not the program's. */
const OWN_CONSTRUCTORS = ['HeapAttribution', 'HeapCapture', 'Sampler', 'FullGcLog'];

/** The baseline's part of an analysis: its object ids and its sampling profile. */
export interface Baseline {
  ids: Uint32Array;
  objects: number;
  sampling: SamplingProfile | null;
}

/** Reads what a baseline needs from its snapshot text (the graph itself is not kept). */
export function baselineOf(snapshotText: string, sampling: SamplingProfile | null): Baseline {
  const graph = HeapGraph.parse(snapshotText);
  return { ids: snapshotIds(graph), objects: graph.nodeCount, sampling };
}

/** Compares a final snapshot (and sampling profile) with a baseline of the same process. */
export function analyze(
  baseline: Baseline,
  finalSnapshotText: string,
  finalSampling: SamplingProfile | null,
  limits: AnalyzeLimits = {},
): AttributionReport {
  const final = HeapGraph.parse(finalSnapshotText);
  const { groups, added } = diffSnapshots(baseline.ids, final, {
    maxGroups: limits.maxGroups ?? 20,
    excludeRetainedBy: limits.excludeRetainedBy ?? OWN_CONSTRUCTORS,
    excludeRetainedByCodeUnder: limits.excludeUnder ?? PACKAGE_LIB,
  });
  return {
    baselineObjects: baseline.objects,
    finalObjects: final.nodeCount,
    added,
    groups,
    allocations:
      finalSampling === null ? [] : growingSites(baseline.sampling, finalSampling, limits.maxAllocations ?? 10, limits.excludeUnder ?? PACKAGE_LIB),
  };
}

/** Files a watched process wrote: two snapshots, and sampling profiles (JSON) when it sampled. */
export interface AttributionFiles {
  baselineSnapshot: string;
  finalSnapshot: string;
  baselineSampling?: string | undefined;
  finalSampling?: string | undefined;
}

function readProfile(path: string | undefined): SamplingProfile | null {
  return path === undefined ? null : (JSON.parse(readFileSync(path, 'utf8')) as SamplingProfile);
}

/** {@link analyze} over files. */
export function analyzeFiles(files: AttributionFiles, limits: AnalyzeLimits = {}): AttributionReport {
  const baseline = baselineOf(readFileSync(files.baselineSnapshot, 'utf8'), readProfile(files.baselineSampling));
  return analyze(baseline, readFileSync(files.finalSnapshot, 'utf8'), readProfile(files.finalSampling), limits);
}
