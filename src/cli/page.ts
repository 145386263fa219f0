/**
 * The page every mallinfo chart is drawn on: one self-contained HTML file
 * that opens offline. uPlot and the report's stylesheet are inlined from
 * their files when the page is written; the chart's data travels as JSON in
 * a non-executed script element (`#mallinfo-data`); a
 * Content-Security-Policy lets only the page's own two scripts run (no
 * inline handlers, no loads from anywhere). The CLI's HTML report is one
 * such page; the benchmarks' plots (bench/) are others, so they look alike.
 * @packageDocumentation
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { escapeHtml, inlineAsset, jsonForScript } from './escape';

/** The report's colours: each chart picks from these, so all read alike. */
export const PALETTE = {
  red: '#dc2626',
  blue: '#2563eb',
  orange: '#ea580c',
  slate: '#64748b',
  green: '#16a34a',
  /** Trims: the dashed marks of the CLI report. */
  violet: '#7c3aed',
} as const;

const ASSETS = join(__dirname, '..', '..', 'assets');

function uplotFile(file: string): string {
  return readFileSync(require.resolve(`uplot/dist/${file}`), 'utf8');
}

function scriptHash(script: string): string {
  return `'sha256-${createHash('sha256').update(script, 'utf8').digest('base64')}'`;
}

/** What goes on a page. */
export interface PageParts {
  /** The page's `<title>`, as plain text (escaped here). */
  title: string;
  /** The content of `<main>`, as HTML whose strings the caller escaped. */
  body: string;
  /** What the chart script reads from `#mallinfo-data`. */
  data: unknown;
  /** The script that draws the chart with the global `uPlot`: its source, and a name for errors. */
  chart: { source: string; name: string };
}

/** A chart script shipped in the package's assets/ folder, as a {@link PageParts.chart}. */
export function assetScript(file: string): PageParts['chart'] {
  return { source: readFileSync(join(ASSETS, file), 'utf8'), name: file };
}

/** uPlot and the stylesheet, read (and uPlot hashed) once: the same for every page. */
let sharedAssets: { uplotJs: string; uplotHash: string; css: string } | undefined;
function shared(): { uplotJs: string; uplotHash: string; css: string } {
  if (sharedAssets === undefined) {
    const uplotJs = inlineAsset(uplotFile('uPlot.iife.min.js'), 'script', 'uPlot');
    const css = inlineAsset(uplotFile('uPlot.min.css') + readFileSync(join(ASSETS, 'report.css'), 'utf8'), 'style', 'CSS');
    sharedAssets = { uplotJs, uplotHash: scriptHash(uplotJs), css };
  }
  return sharedAssets;
}

/** The whole page: the report's look, uPlot and the chart script inlined, the data as JSON. */
export function renderPage(parts: PageParts): string {
  const { uplotJs, uplotHash, css } = shared();
  const chartJs = inlineAsset(parts.chart.source, 'script', parts.chart.name);
  const csp = `default-src 'none'; script-src ${uplotHash} ${scriptHash(chartJs)}; style-src 'unsafe-inline'; img-src data:`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(parts.title)}</title>
<style>${css}</style></head>
<body><main>
${parts.body}
</main>
<script type="application/json" id="mallinfo-data">${jsonForScript(parts.data)}</script>
<script>${uplotJs}</script>
<script>${chartJs}</script>
</body></html>
`;
}
