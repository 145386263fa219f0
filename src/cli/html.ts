/**
 * The HTML report: one self-contained file that opens offline (the page,
 * with uPlot inlined and its Content-Security-Policy, is ./page). Every
 * value is put in through the `html` template tag (./escape), which escapes
 * it: markup comes only from this file's templates.
 * @packageDocumentation
 */
import type { MallocSetting, MallocSettings } from '../core/malloc-settings';
import { html, type SafeHtml } from './escape';
import { formatBytes, formatCommand, formatDuration, formatRate } from './format';
import { assetScript, PALETTE, renderPage } from './page';
import { SERIES, type SeriesKey } from './series';
import type { RunData } from './store';
import type { RunSummary } from './summary';
import { endingOf } from './summary-text';
import { adviceOf, evidenceFacts } from './verdict';

const COLORS: Record<SeriesKey, string> = {
  resident: PALETTE.red,
  inUse: PALETTE.blue,
  free: PALETTE.orange,
  mapped: PALETTE.slate,
  v8Used: PALETTE.green,
};

/** The data the chart script reads: times in seconds since the epoch (uPlot's time scale), bytes. */
export function chartData(data: RunData): {
  title: string;
  time: number[];
  series: { key: string; label: string; color: string; values: (number | null)[] }[];
  trims: { time: number; released: number | null }[];
  trimColor: string;
} {
  const primary = data.primary();
  const samples = primary?.samples ?? [];
  return {
    title: primary ? `pid ${primary.pid}: ${formatCommand(primary.info.argv)}` : '',
    time: samples.map((s) => s.time / 1000),
    series: SERIES.map((s) => ({ key: s.key, label: s.label, color: COLORS[s.key], values: samples.map((x) => s.of(x)) })),
    trims: (primary?.trims ?? []).map((t) => ({ time: t.time, released: t.released })),
    trimColor: PALETTE.violet,
  };
}

const facts = (rows: [string, SafeHtml | string][]): SafeHtml =>
  html`<dl class="facts">${rows.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>`;
const code = (text: string): SafeHtml => html`<code>${text}</code>`;

function verdictSection(summary: RunSummary): SafeHtml {
  const d = summary.diagnosis;
  if (d === null) return html`<section class="card" id="verdict"><p class="verdict-name">no verdict</p><p>No Node process of the command was sampled.</p></section>`;
  const name = d.verdict === 'insufficient-data' ? 'no verdict yet' : d.verdict;
  const confidence = d.verdict === 'insufficient-data' ? '' : html`<span class="confidence">confidence ${Math.round(d.confidence * 100)} %</span>`;
  const evidence = evidenceFacts(d).map(({ label, value }): [string, string] => [label, value]);
  const advice = adviceOf(d, summary.autoTrim === true).map((a) => html`<li>${a}</li>`);
  return html`<section class="card verdict-${d.verdict}" id="verdict">
<p class="verdict-name">${name}${confidence}</p>
<p class="verdict-summary">${d.summary}</p>
<h2>Evidence</h2>${facts(evidence)}
${advice.length > 0 ? html`<h2>Advice</h2><ul id="advice">${advice}</ul>` : ''}
</section>`;
}

function chartSection(summary: RunSummary): SafeHtml | string {
  const p = summary.primary;
  if (p === null) return '';
  const trims = summary.trims.map(
    (t) => html`<li>${new Date(t.time).toISOString()}: RSS ${formatBytes(t.rssBefore)} → ${formatBytes(t.rssAfter)} (${formatBytes(t.released)} released in ${t.durationMs.toFixed(1)} ms)</li>`,
  );
  return html`<section class="card"><h2>Memory over time</h2><div id="chart"></div>
<p class="note">The allocator is per process: these numbers include the memory of every worker thread of pid ${p.pid}.
${SERIES.map((s) => html`<b>${s.label}</b>: ${s.description}. `)}</p>
${trims.length > 0 ? html`<h2>Trims (--auto-trim)</h2><ul id="trims">${trims}</ul>` : ''}</section>`;
}

function seriesTable(summary: RunSummary): SafeHtml {
  const rows = SERIES.map((s) => {
    const v = summary.series[s.key];
    return html`<tr><td>${s.label}</td><td>${formatBytes(v.first)}</td><td>${formatBytes(v.peak)}</td><td>${formatBytes(v.final)}</td><td>${formatRate(v.growthPerMinute, summary.durationMs)}</td></tr>`;
  });
  return html`<section class="card"><h2>Summary</h2><table><tr><th></th><th>first</th><th>peak</th><th>final</th><th>growth</th></tr>${rows}</table></section>`;
}

function processTable(summary: RunSummary): SafeHtml {
  const rows = summary.processes.map(
    (p) =>
      html`<tr><td>${p.pid}${p.primary ? ' (charted)' : ''}</td><td>${p.ppid}</td><td class="text">${code(formatCommand(p.argv))}${p.error ? ` — could not sample: ${p.error}` : ''}${p.warning ? ` — ${p.warning}` : ''}</td><td>${p.samples}</td><td>${formatBytes(p.peakResident)}</td><td>${formatBytes(p.finalResident)}</td></tr>`,
  );
  return html`<section class="card"><h2>Node processes of the run</h2>
<p class="note">Every Node process started by the command loads the sampler; each is told apart by its pid. The chart and the verdict are about the one sampled longest, package-manager launchers (npm, npx, yarn, pnpm) aside.</p>
<table><tr><th>pid</th><th>parent</th><th class="text">argv</th><th>samples</th><th>peak RSS</th><th>final RSS</th></tr>${rows}</table></section>`;
}

/** glibc's malloc parameters as the process read them at start-up, with where each came from (plain text: escaped by the caller). */
function settingsFacts(settings: MallocSettings): string {
  const shown: [string, MallocSetting, boolean][] = [
    ['arena max', settings.arenaMax, false],
    ['mmap threshold', settings.mmapThreshold, true],
    ['trim threshold', settings.trimThreshold, true],
    ['top pad', settings.topPad, true],
    ['mmap max', settings.mmapMax, false],
  ];
  const parts = shown.map(([name, s, bytes]) => `${name} ${bytes ? formatBytes(s.value) : s.value} (${s.setBy === null ? 'default' : s.setBy})`);
  parts.push(settings.dynamicMmapThreshold ? 'thresholds dynamic' : 'thresholds fixed');
  for (const reason of settings.ignored) parts.push(`ignored: ${reason}`);
  return parts.join(' · ');
}

function envFacts(env: Record<string, string>): SafeHtml | string {
  const entries = Object.entries(env);
  return entries.length === 0 ? 'none set (glibc defaults)' : html`${entries.map(([k, v]) => html`${code(`${k}=${v}`)} `)}`;
}

function metadataSection(data: RunData, summary: RunSummary): SafeHtml {
  const p = summary.primary;
  const rows: [string, SafeHtml | string][] = [
    ['command', summary.command ? code(formatCommand(summary.command)) : 'not recorded'],
    ['ended', endingOf(summary)],
  ];
  if (data.run) {
    rows.push(['working directory', code(data.run.cwd)], ['started', new Date(data.run.startedAt).toISOString()]);
  }
  if (summary.durationMs !== null) rows.push(['duration', formatDuration(summary.durationMs)]);
  if (summary.intervalMs !== null) rows.push(['sampled every', formatDuration(summary.intervalMs)]);
  if (data.run) rows.push(['auto-trim', data.run.autoTrim ? 'on' : 'off']);
  if (p) {
    rows.push(['Node', p.node]);
    rows.push(['allocator', p.allocator ? `${p.allocator.kind} ${p.allocator.version ?? ''}` : 'unknown']);
    rows.push(['glibc', p.allocator?.glibcVersion ?? 'not glibc']);
    rows.push(['allocator variables', envFacts(p.allocatorEnv)]);
    if (p.allocator?.settings) rows.push(['malloc settings', settingsFacts(p.allocator.settings)]);
  } else if (data.run) {
    rows.push(['allocator variables', envFacts(data.run.allocatorEnv)]);
  }
  if (data.run) rows.push(['mallinfo', data.run.mallinfoVersion]);
  return html`<section class="card"><h2>Run</h2>${facts(rows)}</section>`;
}

/** `--attribute`'s "what grew" lines, as they are printed, in a card after the verdict. */
function whatGrewSection(lines: readonly string[]): SafeHtml | string {
  if (lines.length === 0) return '';
  return html`<section class="card" id="what-grew"><h2>What grew</h2><pre>${lines.join('\n')}</pre></section>`;
}

/** The whole report page for a run and its summary. */
export function renderHtml(data: RunData, summary: RunSummary, whatGrew: readonly string[] = []): string {
  const title = summary.command ? formatCommand(summary.command) : 'a run';
  const body = html`<h1>mallinfo report</h1>
<p class="command">${code(title)} ${endingOf(summary)}</p>
${verdictSection(summary)}
${whatGrewSection(whatGrew)}
${chartSection(summary)}
${seriesTable(summary)}
${processTable(summary)}
${metadataSection(data, summary)}
<footer>Written by mallinfo${data.run ? ` ${data.run.mallinfoVersion}` : ''}. Chart by uPlot (MIT licence), inlined: this file needs no network.</footer>`;
  return renderPage({ title: `mallinfo report: ${title}`, body: body.text, data: chartData(data), chart: assetScript('report.js') });
}
