/**
 * The summary as text for the terminal (stderr): how the command ended, a
 * table of each series' first, peak and final values and growth, the
 * trims, the verdict with its evidence and advice, and the other processes.
 * @packageDocumentation
 */
import { formatBytes, formatCommand, formatDuration, formatRate } from './format';
import { SERIES } from './series';
import type { RunSummary } from './summary';
import { verdictLines } from './verdict';

/** How the command ended, in words. */
export function endingOf(summary: RunSummary): string {
  if (summary.signal !== null) return `was killed by ${summary.signal}`;
  if (summary.exitCode !== null) return `exited with code ${summary.exitCode}`;
  return 'ended (exit status not recorded)';
}

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => '  ' + r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('   '));
}

/** The summary as lines of text (no colours, no trailing newline). */
export function summaryLines(summary: RunSummary): string[] {
  const lines: string[] = [];
  const command = summary.command ? formatCommand(summary.command) : 'the command';
  const after = summary.durationMs !== null ? ` after ${formatDuration(summary.durationMs)}` : '';
  lines.push(`mallinfo: ${command} ${endingOf(summary)}${after}`);
  const primary = summary.primary;
  if (primary === null) {
    lines.push('  No Node process was sampled: the command started none, or none ran long enough.');
    for (const p of summary.processes) if (p.error) lines.push(`  pid ${p.pid} could not sample: ${p.error}`);
    return lines;
  }
  const allocator = primary.allocator ? `${primary.allocator.kind} ${primary.allocator.version ?? ''}`.trim() : 'unknown allocator';
  const every = summary.intervalMs !== null ? ` every ${formatDuration(summary.intervalMs)}` : '';
  lines.push(`  pid ${primary.pid}: ${formatCommand(primary.argv.slice(1))} (Node ${primary.node}, ${allocator}), ${primary.samples} samples${every}`);
  lines.push('');
  lines.push(
    ...table([
      ['', 'first', 'peak', 'final', 'growth'],
      ...SERIES.map((s) => {
        const v = summary.series[s.key];
        return [s.label, formatBytes(v.first), formatBytes(v.peak), formatBytes(v.final), formatRate(v.growthPerMinute, summary.durationMs)];
      }),
    ]),
  );
  for (const p of summary.processes) if (p.warning) lines.push(`  pid ${p.pid}: ${p.warning}`);
  if (summary.trims.length > 0) {
    const released = summary.trims.reduce((sum, t) => sum + (t.released ?? 0), 0); // null: statm unreadable, unmeasured
    lines.push('', `  ${summary.trims.length} trim${summary.trims.length === 1 ? '' : 's'}${summary.autoTrim === true ? ' (--auto-trim)' : ''} released ${formatBytes(released)}`);
  }
  if (summary.diagnosis) lines.push('', ...verdictLines(summary.diagnosis, summary.autoTrim === true).map((l) => `  ${l}`));
  const others = summary.processes.filter((p) => !p.primary);
  if (others.length > 0) {
    lines.push('', '  other Node processes of the run:');
    for (const p of others) {
      const what = p.error ? `could not sample: ${p.error}` : `${p.samples} samples, peak RSS ${formatBytes(p.peakResident)}`;
      lines.push(`    pid ${p.pid}${p.launcher ? ' (launcher)' : ''}: ${formatCommand(p.argv.slice(1))} — ${what}`);
    }
  }
  return lines;
}
