/**
 * An attribution report as pprof profiles, for `go tool pprof`, speedscope
 * or Pyroscope. What grew: one sample per growth group whose stack reads,
 * innermost first, what the objects are, the object that keeps them, and
 * the function whose scope holds that; values are objects and bytes.
 * Allocation stacks: one sample per stack that allocated live objects.
 * @packageDocumentation
 */
import { formatLocation } from './attribution-format';
import type { AttributionReport, GrowthGroup } from './attribution-types';
import { PprofBuilder, type PprofFrame } from './pprof-builder';

function stackOf(group: GrowthGroup): PprofFrame[] {
  const stack: PprofFrame[] = [
    { name: group.location ? `${group.what} ${formatLocation(group.location)}` : group.what, file: group.location?.url ?? '', line: group.location?.line ?? 0 },
  ];
  const by = group.keptBy;
  if (by === null) {
    stack.push({ name: '(GC roots)', file: '', line: 0 });
    return stack;
  }
  stack.push({ name: `kept by \`${by.edge}\` (${by.name})`, file: '', line: 0 });
  if (by.holder) stack.push({ name: by.holder.name, file: by.holder.location?.url ?? '', line: by.holder.location?.line ?? 0 });
  return stack;
}

/** What grew, as a gzipped pprof profile (sample types: objects/count, space/bytes). */
export function attributionPprof(report: AttributionReport): Buffer {
  const builder = new PprofBuilder([
    ['objects', 'count'],
    ['space', 'bytes'],
  ]);
  for (const group of report.groups) builder.add(stackOf(group), [group.count, group.bytes]);
  return builder.encode();
}

/** The stacks that allocated live V8 objects since the baseline, as a gzipped pprof profile (samples/count, space/bytes). */
export function allocationPprof(report: AttributionReport): Buffer {
  const builder = new PprofBuilder([
    ['samples', 'count'],
    ['space', 'bytes'],
  ]);
  for (const site of report.allocations) {
    const stack = site.stack.map((f) => ({ name: f.functionName === '' ? '(anonymous)' : f.functionName, file: f.url, line: f.line }));
    builder.add(stack, [site.samples, site.bytes]);
  }
  return builder.encode();
}
