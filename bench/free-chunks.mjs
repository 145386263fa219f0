// sample() and trim() cost as the number of free chunks grows: mallinfo2 and
// malloc_trim both walk free chunks, holding the arena locks. Printed as a
// table and drawn as a log–log plot in the CLI report's style.
// `node bench/free-chunks.mjs [--figures DIR]` runs this one benchmark alone.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { describeMachine, figureLine, printTable } from './measure.mjs';
import { PALETTE, plotPage } from './plot.mjs';
import { screenshotPage } from './screenshot.mjs';

const root = join(import.meta.dirname, '..');
/** Where the plot goes unless told: not committed (.gitignore). */
export const ARTIFACTS = join(root, '.bench-artifacts');
const TITLE = 'sample() and trimSync() cost by free chunks';

/** One fresh process with about `freeChunks` free chunks: { freeChunks (ordblks), sampleNs, trimMs, released }. */
function measure(freeChunks) {
  const fixture = join(import.meta.dirname, 'fixtures', 'free-chunks-cost.mjs');
  const out = execFileSync(process.execPath, ['--max-old-space-size=4096', fixture], {
    env: { ...process.env, FREE_CHUNKS: String(freeChunks) },
    encoding: 'utf8',
  });
  return { asked: freeChunks, ...JSON.parse(out.trim()) };
}

/**
 * Measures, prints the table, writes the chart page to .bench-artifacts/
 * and its picture to `figuresDir`/free-chunks.png. Returns { png, html, alt },
 * or null when the picture could not be drawn (the reason is printed).
 */
export async function benchFreeChunks({ counts = [1e3, 1e4, 1e5, 1e6], figuresDir = ARTIFACTS } = {}) {
  const results = counts.map(measure);
  const header = ['free chunks asked', 'ordblks', 'sample() µs', 'trimSync() ms', 'trim released MB'];
  const rows = results.map((r) => [r.asked.toExponential(0), r.freeChunks, (r.sampleNs / 1e3).toFixed(1), r.trimMs.toFixed(2), (r.released / 2 ** 20).toFixed(1)]);
  printTable(`${TITLE} (fresh process each; 200-byte chunks, every other one freed)`, header, rows);
  console.log('A Sampler keeps sampling under 1 % of wall time by lengthening its interval (maxCostShare, the slow event).');

  const html = plotPage({
    heading: TITLE,
    context: `${describeMachine()} · ${new Date().toISOString().slice(0, 10)}`,
    chart: {
      title: 'cost of one call (log–log)',
      x: { label: 'free chunks (glibc ordblks)', values: results.map((r) => r.freeChunks) },
      series: [
        { label: 'sample()', color: PALETTE.blue, values: results.map((r) => r.sampleNs / 1e3) },
        { label: 'trimSync()', color: PALETTE.violet, values: results.map((r) => r.trimMs * 1e3) },
      ],
    },
    table: { header, rows },
    notes: [
      'Each point is a fresh Node process holding about N free chunks: 2N ArrayBuffers of 200 bytes, every other one freed (examples/workloads/free-chunks.mjs). ' +
        'The count is what glibc reports (mallinfo2 ordblks). sample() is the median of 9 calls, trimSync() one call.',
      'mallinfo2 walks every free chunk of every arena under its lock. malloc_trim walks only the unsorted bin and the bins of chunks of a page or more, ' +
        'so small chunks already sorted into small bins cost it little; a heap of larger free chunks makes it dearer.',
    ],
  });
  mkdirSync(ARTIFACTS, { recursive: true });
  mkdirSync(figuresDir, { recursive: true });
  const page = join(ARTIFACTS, 'free-chunks.html');
  writeFileSync(page, html);
  const png = join(figuresDir, 'free-chunks.png');
  const missing = await screenshotPage(page, png);
  if (missing !== null) {
    console.log(`Plot not drawn: ${missing}. The chart page is ${relative(process.cwd(), page)}.`);
    return null;
  }
  return { png, html: page, alt: `${TITLE}, log–log: sample() and trimSync() µs against free chunks` };
}

if (process.argv[1] === import.meta.filename) {
  const { values } = parseArgs({ options: { figures: { type: 'string' } } });
  const figure = await benchFreeChunks({ figuresDir: values.figures ?? ARTIFACTS });
  if (figure !== null) console.log(figureLine(figure));
}
