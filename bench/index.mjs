// `npm run bench`: every benchmark of the project, printed as tables, side by
// side with the alternatives in one run. `npm run bench -- --out BENCHMARKS.md`
// also writes them, with a description of the machine, as Markdown.
import { writeFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { allocator } from 'mallinfo';
import { benchBytesPerSample, benchSample } from './sample.mjs';
import { benchExporters } from './exporters.mjs';
import { benchTrim } from './trim.mjs';
import { benchDiagnose } from './diagnose.mjs';
import { benchSamplerOverhead } from './sampler.mjs';
import { benchFreeChunks } from './free-chunks.mjs';
import { benchTesting } from './testing.mjs';
import { benchCli } from './cli.mjs';

const { values } = parseArgs({ options: { out: { type: 'string' } } });
const printed = [];
const print = console.log;
console.log = (...args) => {
  printed.push(args.join(' '));
  print(...args);
};

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Linux ${release()}, Node ${process.version} (${process.arch}), ${allocator().kind} ${allocator().version ?? ''}`;
console.log(`mallinfo benchmarks — ${machine}`);
benchSample();
benchBytesPerSample();
benchSamplerOverhead();
await benchExporters();
await benchTrim();
benchDiagnose();
benchFreeChunks();
await benchTesting();
await benchCli();

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
    '```',
    ...printed,
    '```',
    '',
  ].join('\n');
  writeFileSync(values.out, text);
}
