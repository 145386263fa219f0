#!/usr/bin/env node
// How much the verdicts over the corpus depend on diagnose()'s constants:
// for each constant, a copy of lib/ with only that constant changed
// replays the corpus (final verdicts, as test/corpus.test.ts does) and one
// line says right, open, wrong, and leaks called stable. A method whose
// results move a lot with a constant was tuned to its corpus; see
// docs/diagnosis.md ("The constants").
//   node scripts/corpus/sensitivity.mjs [--corpus DIR] [--only NAME]
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The constants, in lib/diagnose/, and the values tried besides their own. */
const SWEEP = [
  ['findings.js', 'RISE_OVER_FALLS', [1, 1.25, 2, 3]],
  ['findings.js', 'WINDOW_PER_RISE', [1.25, 2]],
  ['findings.js', 'NOISE_SHARE', [0.25, 0.375, 0.75, 1]],
  ['findings.js', 'MIN_FLAT_POINTS', [4, 5, 8, 10]],
  ['findings.js', 'UNCLEAR_SHARE', [0.5, 1]],
  ['findings.js', 'QUIET_BAND_SHARE', [0.1, 0.2, 0.5, 2 / 3]],
  ['floors.js', 'MIN_BLOCKS', [4, 8]],
  ['floors.js', 'MAX_BLOCKS', [12, 48]],
  ['diagnose.js', 'WEAK_LEAK', [0.5, 0.7]],
  ['stats.js', 'Z_975', [1.645, 1.282]],
];

const { values: opts } = parseArgs({ options: { corpus: { type: 'string' }, only: { type: 'string' } } });
const corpus = opts.corpus ? resolve(opts.corpus) : undefined;
const scratch = mkdtempSync(join(tmpdir(), 'mallinfo-sensitivity-'));

/** A copy of the repository's lib/ and corpus readers with `name` set to `value` in lib/diagnose/`file`. */
function variant(file, name, value) {
  const root = join(scratch, `${name ?? 'as-is'}-${value ?? ''}`);
  mkdirSync(join(root, 'test', 'corpus'), { recursive: true });
  cpSync(join(repo, 'lib'), join(root, 'lib'), { recursive: true });
  for (const f of ['load.mjs', 'replay.mjs', 'score.mjs', 'index.json']) cpSync(join(repo, 'test', 'corpus', f), join(root, 'test', 'corpus', f));
  for (const d of ['node_modules', 'build']) symlinkSync(join(repo, d), join(root, d));
  symlinkSync(join(repo, 'test', 'corpus', 'traces'), join(root, 'test', 'corpus', 'traces'));
  cpSync(join(repo, 'package.json'), join(root, 'package.json'));
  if (name) {
    const path = join(root, 'lib', 'diagnose', file);
    // `const X = …;`, or `exports.X = …;` for an exported one (not its `= void 0` declaration).
    const pattern = new RegExp(`((?:const |exports\\.)${name} = )(?!void 0)[^;]+;`);
    const source = readFileSync(path, 'utf8');
    if (!pattern.test(source)) throw new Error(`${name} is not a constant of lib/diagnose/${file}`);
    writeFileSync(path, source.replace(pattern, `$1${value};`));
  }
  return root;
}

async function score(file, name, value) {
  const root = variant(file, name, value);
  const { loadCorpus } = await import(pathToFileURL(join(root, 'test', 'corpus', 'load.mjs')).href);
  const { scoreCorpus } = await import(pathToFileURL(join(root, 'test', 'corpus', 'score.mjs')).href);
  const cases = scoreCorpus(loadCorpus(corpus));
  const right = cases.filter((c) => c.right).length;
  const open = cases.filter((c) => c.verdict === 'insufficient-data').length;
  const leakStable = cases.filter((c) => c.label.endsWith('-leak') && c.verdict === 'stable').length;
  const pct = (n) => `${((100 * n) / cases.length).toFixed(1)} %`;
  console.log(
    `${(name ?? 'as committed').padEnd(16)} ${String(value ?? '').padEnd(6)} ${cases.length} cases: right ${right} (${pct(right)}), ` +
      `open ${open}, wrong ${cases.length - right - open} (${pct(cases.length - right - open)}), leaks called stable ${leakStable}`,
  );
}

try {
  await score();
  for (const [file, name, tried] of SWEEP) {
    if (opts.only && opts.only !== name) continue;
    for (const value of tried) await score(file, name, value);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
