// The verdict's accuracy over the recorded corpus (test/corpus): the
// confusion matrix, per family the share right, the time a Sampler took to
// a right verdict that held, and the verdict changes on the way; then the
// same over the corpus recorded with the Sampler's own full collections
// (test/corpus/collecting, collectEveryMs).
// Run: node bench/verdicts.mjs [--every N] [--wrong] [--collecting]
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CORPUS_DIR, loadCorpus } from '../test/corpus/load.mjs';
import { byFamily, confusionLines, scoreCorpus } from '../test/corpus/score.mjs';

/** The corpus recorded with collectEveryMs (scripts/corpus/generate.mjs --collect-every). */
export const COLLECTING_DIR = join(CORPUS_DIR, 'collecting');

/**
 * Prints the verdicts' accuracy over the corpus in `dir`; `every` diagnoses
 * every n-th sample on the way, `wrong` lists the wrong cases.
 */
export function benchVerdicts({ every = 1, wrong = false, dir = CORPUS_DIR, title = 'the corpus' } = {}) {
  const started = performance.now();
  const traces = loadCorpus(dir);
  const cases = scoreCorpus(traces, { timeline: true, every });
  const right = cases.filter((c) => c.right).length;
  const s = (ms) => (ms === null ? '—' : `${(ms / 1000).toFixed(1)} s`);

  console.log(`\n## Verdicts over ${title}: ${traces.length} traces, ${cases.length} cases (each trace at its own interval and thinned to 0.5–10 s while ≥ 20 samples remain)\n`);
  console.log(confusionLines(cases).join('\n'));
  console.log(`\nright: ${right} of ${cases.length} (${((100 * right) / cases.length).toFixed(1)} %)`);
  const rows = byFamily(cases).map((f) => ({
    label: f.label,
    family: f.family,
    cases: f.cases,
    right: `${((100 * f.right) / f.cases).toFixed(0)} %`,
    'right verdict from (median)': s(f.medianRightFromMs),
    'cases with a change after the first verdict': f.withChanges,
    'most changes': f.maxChanges,
  }));
  console.table(rows);
  const spans = [
    ['under 30 s', (c) => c.durationMs < 30_000],
    ['30–60 s', (c) => c.durationMs >= 30_000 && c.durationMs < 60_000],
    ['60 s and more', (c) => c.durationMs >= 60_000],
  ];
  console.log('\nBy window length:');
  for (const [name, keep] of spans) {
    const some = cases.filter(keep);
    const wrong = some.filter((c) => !c.right && c.verdict !== 'insufficient-data').length;
    const open = some.filter((c) => c.verdict === 'insufficient-data').length;
    console.log(`  ${name.padEnd(14)} ${String(some.length).padStart(4)} cases: right ${some.length - wrong - open}, no verdict yet ${open}, wrong verdict ${wrong}`);
  }
  const changed = cases.filter((c) => c.changes > 1).length;
  console.log(`cases with more than one verdict change after the first verdict: ${changed} of ${cases.length}`);
  if (wrong) {
    for (const c of cases.filter((x) => !x.right)) {
      console.log(`${c.family} ${c.file} @${c.intervalMs} ms (${c.samples} samples): ${c.label} → ${c.verdict} ${c.confidence.toFixed(2)}: ${c.summary}`);
    }
  }
  console.log(`(replayed in ${((performance.now() - started) / 1000).toFixed(1)} s)`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: { every: { type: 'string', default: '1' }, wrong: { type: 'boolean', default: false }, collecting: { type: 'boolean', default: false } },
  });
  if (values.collecting) benchVerdicts({ every: Number(values.every), wrong: values.wrong, dir: COLLECTING_DIR, title: 'the collecting corpus (collectEveryMs 1000)' });
  else benchVerdicts({ every: Number(values.every), wrong: values.wrong });
}
