/**
 * Allocation stacks from V8's sampling heap profiler
 * (`HeapProfiler.getSamplingProfile`): it samples about one allocation
 * every `samplingInterval` bytes and keeps a sample only while its object
 * lives, so a profile taken after a full collection tells which stacks
 * allocated what is still alive. Two profiles, at the baseline and at the
 * end, differ by what those stacks allocated since and kept.
 * @packageDocumentation
 */
import type { AllocationSite, StackFrame } from './attribution-types';

/** A node of `HeapProfiler.SamplingHeapProfile` (the part read here). */
export interface SamplingProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  selfSize: number;
  id: number;
  children: SamplingProfileNode[];
}

/** `HeapProfiler.SamplingHeapProfile`. */
export interface SamplingProfile {
  head: SamplingProfileNode;
  samples: { size: number; nodeId: number; ordinal: number }[];
}

interface Site {
  stack: StackFrame[];
  bytes: number;
  samples: number;
}

/** Live bytes and sample counts per stack (a key per stack, innermost frame first). */
export function sitesOf(profile: SamplingProfile): Map<string, Site> {
  const samplesByNode = new Map<number, number>();
  for (const s of profile.samples) samplesByNode.set(s.nodeId, (samplesByNode.get(s.nodeId) ?? 0) + 1);
  const sites = new Map<string, Site>();
  const walk = (node: SamplingProfileNode, outer: StackFrame[]): void => {
    const frame = node.callFrame;
    // The root node is '(root)' with no script: not a frame.
    const stack =
      frame.functionName === '(root)' && frame.url === ''
        ? outer
        : [{ functionName: frame.functionName, url: frame.url, line: frame.lineNumber + 1, column: frame.columnNumber + 1 }, ...outer];
    if (node.selfSize > 0) {
      const key = stack.map((f) => `${f.functionName}@${f.url}:${f.line}:${f.column}`).join('\n');
      const site = sites.get(key) ?? { stack, bytes: 0, samples: 0 };
      site.bytes += node.selfSize;
      site.samples += samplesByNode.get(node.id) ?? 0;
      sites.set(key, site);
    }
    for (const child of node.children) walk(child, stack);
  };
  walk(profile.head, []);
  return sites;
}

/** Stacks whose live bytes grew from `before` to `after`, largest growth first. */
export function growingSites(before: SamplingProfile | null, after: SamplingProfile, max: number, excludeUnder?: string): AllocationSite[] {
  const old = before === null ? new Map<string, Site>() : sitesOf(before);
  const grown: AllocationSite[] = [];
  for (const [key, site] of sitesOf(after)) {
    if (excludeUnder !== undefined && site.stack.some((f) => f.url.startsWith(excludeUnder) || f.url.startsWith(`file://${excludeUnder}`))) continue;
    const was = old.get(key);
    const bytes = site.bytes - (was?.bytes ?? 0);
    if (bytes > 0) grown.push({ stack: site.stack, bytes, samples: Math.max(0, site.samples - (was?.samples ?? 0)) });
  }
  return grown.sort((a, b) => b.bytes - a.bytes).slice(0, max);
}

/** The innermost frame of a stack that is the program's own code (not Node's internals), or null. */
export function userFrame(stack: readonly StackFrame[]): StackFrame | null {
  return stack.find((f) => f.url !== '' && !f.url.startsWith('node:')) ?? null;
}
