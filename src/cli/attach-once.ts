/**
 * `mallinfo attach --once`: one reading of the target in one screen — RSS,
 * what the allocator holds in use and free, its arenas, and the malloc
 * settings glibc read at the target's start-up.
 * @packageDocumentation
 */
import type { MallocSetting } from '../core/malloc-settings';
import type { AgentReading } from './attach-agent';
import { formatBytes, formatCommand } from './format';

function setting(name: string, s: MallocSetting, bytes: boolean): string {
  const value = bytes ? formatBytes(s.value) : String(s.value);
  return `${name} ${value} (${s.source === 'default' ? 'default' : `set by ${s.setBy ?? s.source}`})`;
}

/** The `--once` screen as lines of text. */
export function onceLines(r: AgentReading): string[] {
  const { sample, allocator } = r;
  const heap = sample.heap;
  const kind = `${allocator.kind} ${allocator.version ?? ''}`.trim();
  const row = (label: string, value: number | null | undefined, note: string): string =>
    `  ${label.padEnd(10)}${formatBytes(value).padStart(10)}   ${note}`;
  const lines = [
    `mallinfo: pid ${r.process.pid} · ${formatCommand(r.process.argv.slice(1))} · Node ${r.process.node} · ${kind}`,
    '',
    row('RSS', sample.process?.resident, 'resident in RAM (statm)'),
    row('in use', heap?.inUse, 'held by the program from malloc'),
    row('free', heap?.free, 'freed, kept by the allocator'),
    row('mapped', heap?.mapped, 'obtained by the allocator from the kernel'),
    row('V8 used', sample.v8.used, `JS heap in use (of ${formatBytes(sample.v8.total)})`),
    row('external', sample.v8.external, 'Buffers and ArrayBuffers (counted in in-use too)'),
  ];
  if (heap === null) lines.push(`  the allocator (${kind}) exposes no statistics: in-use and free cannot be measured here`);
  if (heap !== null && !heap.exact) lines.push('  read through mallinfo() (int fields): values near 4 GiB and above are not exact');
  lines.push('', `  arenas    ${r.arenaCount ?? `n/a (${r.arenaError ?? 'not reported'})`}`);
  const s = allocator.settings;
  if (s !== null) {
    lines.push(
      `  settings  ${setting('arenaMax', s.arenaMax, false)} · ${setting('mmapThreshold', s.mmapThreshold, true)}${s.dynamicMmapThreshold ? ' dynamic' : ''}`,
      `            ${setting('trimThreshold', s.trimThreshold, true)} · ${setting('topPad', s.topPad, true)} · ${setting('mmapMax', s.mmapMax, false)}`,
    );
    for (const ignored of s.ignored) lines.push(`            ignored by glibc: ${ignored}`);
  }
  const env = Object.entries(r.process.allocatorEnv);
  lines.push(`  env       ${env.length === 0 ? 'no allocator variables set' : env.map(([k, v]) => `${k}=${v}`).join(' ')}`);
  if (heap !== null && sample.process !== null && heap.free > heap.inUse && allocator.trim) {
    lines.push('', `  free exceeds in-use: \`mallinfo attach ${r.process.pid} --trim\` measures what malloc_trim gives back`);
  }
  return lines;
}
