// `npm run bench`: every benchmark of the project, printed as tables, side by
// side with the alternatives in one run. `npm run bench -- --out BENCHMARKS.md`
// also writes them, with a description of the machine, as Markdown, and the
// plots as PNG files in docs/ next to it, shown under their tables.
import { writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { benchBytesPerSample, benchSample } from './sample.mjs';
import { benchExporters } from './exporters.mjs';
import { benchTrim } from './trim.mjs';
import { benchDiagnose } from './diagnose.mjs';
import { benchVerdicts, COLLECTING_DIR } from './verdicts.mjs';
import { benchSamplerOverhead } from './sampler.mjs';
import { ARTIFACTS, benchFreeChunks } from './free-chunks.mjs';
import { describeMachine, figureLine } from './measure.mjs';
import { benchTesting } from './testing.mjs';
import { benchCli } from './cli.mjs';
import { benchAttribution } from './attribution.mjs';
import { benchCollect } from './collect.mjs';

const { values } = parseArgs({ options: { out: { type: 'string' } } });
const outDir = values.out === undefined ? null : dirname(resolve(values.out));
const figuresDir = outDir === null ? ARTIFACTS : join(outDir, 'docs');
// Printed lines, and { figure } where a plot goes between them.
const printed = [];
const print = console.log;
console.log = (...args) => {
  printed.push(args.join(' '));
  print(...args);
};

/** Records a plot (or nothing, when it could not be drawn) after what was printed so far. */
function figure(drawn) {
  if (drawn === null) return;
  print(figureLine(drawn));
  printed.push({ figure: drawn });
}

/** The printed lines as Markdown code blocks, each plot as an image between them. */
function markdownOf(items) {
  const out = ['```'];
  for (const item of items) {
    if (typeof item === 'string') out.push(item);
    else out.push('```', '', `![${item.figure.alt}](${relative(outDir, item.figure.png)})`, '', '```');
  }
  out.push('```');
  return out;
}

const machine = describeMachine();
console.log(`mallinfo benchmarks — ${machine}`);
benchSample();
benchBytesPerSample();
await benchSamplerOverhead();
await benchExporters();
await benchTrim();
benchDiagnose();
benchVerdicts({ every: 2 });
benchVerdicts({ every: 2, dir: COLLECTING_DIR, title: 'the collecting corpus (collectEveryMs 1000)' });
benchCollect();
figure(await benchFreeChunks({ figuresDir }));
await benchTesting();
await benchCli();
await benchAttribution();

console.log = print;
if (values.out !== undefined) {
  const text = [
    '# Benchmarks',
    '',
    `Written by \`npm run bench -- --out ${values.out}\` on ${new Date().toISOString().slice(0, 10)}.`,
    '',
    `Machine: ${machine}. The machine is shared, so absolute times move from run to run;`,
    'every table compares candidates measured in the same run, interleaved where it matters: read the ratios.',
    '',
    ...markdownOf(printed),
    '',
  ].join('\n');
  writeFileSync(values.out, text);
}
