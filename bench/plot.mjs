// Benchmark plots in the style of the CLI's HTML report: the same page
// (lib/cli/page.js: uPlot and the report's stylesheet inlined, the same
// palette), one log–log chart (bench/log-chart.js), and the table of the
// figures it draws, so the plot and the numbers travel together.
import { readFileSync } from 'node:fs';
import { escapeHtml } from '../lib/cli/escape.js';
import { PALETTE, renderPage } from '../lib/cli/page.js';

export { PALETTE };

const chartScript = { source: readFileSync(new URL('./log-chart.js', import.meta.url), 'utf8'), name: 'log-chart.js' };

const cells = (tag, row) => row.map((c) => `<${tag}>${escapeHtml(String(c))}</${tag}>`).join('');

/**
 * The HTML of a plot page. `chart`: { title, x: { label, values },
 * series: [{ label, color, values (µs) }] }, both axes logarithmic;
 * `table`: { header, rows } of the same measurements; `notes`: paragraphs
 * of plain text; `context`: where and when it was measured.
 */
export function plotPage({ heading, context, chart, table, notes = [] }) {
  const body = `<h1>${escapeHtml(heading)}</h1>
<p class="command">${escapeHtml(context)}</p>
<section class="card"><div id="chart"></div>
${notes.map((n) => `<p class="note">${escapeHtml(n)}</p>`).join('\n')}</section>
<section class="card"><table><tr>${cells('th', table.header)}</tr>${table.rows.map((r) => `<tr>${cells('td', r)}</tr>`).join('')}</table></section>
<footer>Written by npm run bench. Chart by uPlot (MIT licence), inlined: this file needs no network.</footer>`;
  return renderPage({ title: heading, body, data: chart, chart: chartScript });
}
