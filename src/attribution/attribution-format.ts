/**
 * The "what grew" section as text: one line per growth group ("97.7 MB in
 * 2,000 ArrayBuffer kept by `kept` (Array) ← onTimeout app.js:7"), the
 * representative's retainer path under the top one, then the stacks that
 * allocated what is still alive.
 * @packageDocumentation
 */
import { userFrame } from './attribution-sampling';
import type { AttributionReport, GrowthGroup, SourceLocation, StackFrame } from './attribution-types';
import { formatBytes } from '../cli/format';

/** `file:line`, the file relative to `cwd` when inside it. */
export function formatLocation(location: SourceLocation | StackFrame | null, cwd: string = process.cwd()): string {
  if (location === null) return '';
  let url = location.url.startsWith('file://') ? decodeURIComponent(location.url.slice('file://'.length)) : location.url;
  if (url.startsWith(`${cwd}/`)) url = url.slice(cwd.length + 1);
  return `${url}:${location.line}`;
}

/** One group in a line. */
export function formatGroup(group: GrowthGroup, cwd?: string): string {
  const where = group.location ? ` ${formatLocation(group.location, cwd)}` : '';
  const native = group.nativeBytes > 0 ? ` (${formatBytes(group.nativeBytes)} of it ArrayBuffer memory)` : '';
  let line = `${formatBytes(group.bytes)} in ${group.count.toLocaleString('en-US')} ${group.what}${where}${native}`;
  const by = group.keptBy;
  if (by === null) return `${line}, held from a GC root`;
  line += ` kept by \`${by.edge}\` (${by.name === '' ? '(anonymous)' : by.name})`;
  if (by.holder) line += ` ← ${by.holder.name}${by.holder.location ? ` ${formatLocation(by.holder.location, cwd)}` : ''}`;
  return line;
}

function formatPath(group: GrowthGroup, cwd?: string): string {
  return group.path
    .map((s) => `${s.edge} → ${s.name === '' ? `(${s.type})` : s.name}${s.location ? ` (${formatLocation(s.location, cwd)})` : ''}`)
    .join(' · ');
}

/** Options of {@link attributionLines}. */
export interface AttributionLinesOptions {
  /** Groups shown (default 5). */
  groups?: number;
  /** Allocation stacks shown (default 3). */
  allocations?: number;
  /** Paths are shown relative to it (default `process.cwd()`). */
  cwd?: string;
}

/** The report as lines of text, without colours or a trailing newline. */
export function attributionLines(report: AttributionReport, options: AttributionLinesOptions = {}): string[] {
  const { cwd } = options;
  const lines = [
    `what grew: ${formatBytes(report.added.bytes)} in ${report.added.count.toLocaleString('en-US')} objects added and still alive` +
      (report.added.nativeBytes > 0 ? `, ${formatBytes(report.added.nativeBytes)} of it ArrayBuffer memory` : ''),
  ];
  const groups = report.groups.slice(0, options.groups ?? 5);
  if (groups.length === 0) lines.push('  nothing was added and kept between the two snapshots');
  groups.forEach((group, i) => {
    lines.push(`  ${formatGroup(group, cwd)}`);
    if (i === 0 && group.path.length > 0) lines.push(`    path: ${formatPath(group, cwd)}`);
  });
  // Stacks that differ only further out are one place in your code here.
  const places = new Map<string, { frame: StackFrame | null; bytes: number }>();
  for (const site of report.allocations) {
    const frame = userFrame(site.stack) ?? site.stack[0] ?? null;
    const key = frame === null ? '' : `${frame.functionName}@${frame.url}:${frame.line}`;
    const place = places.get(key) ?? { frame, bytes: 0 };
    place.bytes += site.bytes;
    places.set(key, place);
  }
  const shown = [...places.values()].sort((a, b) => b.bytes - a.bytes).slice(0, options.allocations ?? 3);
  if (shown.length > 0) {
    lines.push('  allocated at (V8 heap objects still alive, sampled):');
    for (const { frame, bytes } of shown) {
      const name = frame === null ? '(unknown)' : frame.functionName === '' ? '(anonymous)' : frame.functionName;
      lines.push(`    ${formatBytes(bytes)}  ${name} ${formatLocation(frame, cwd)}`.trimEnd());
    }
  }
  return lines;
}
