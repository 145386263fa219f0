// `npm run bench`: every benchmark of the project, printed as tables.
import { benchBytesPerSample, benchSample } from './sample.mjs';
import { benchExporters } from './exporters.mjs';
import { benchTrim } from './trim.mjs';
import { benchDiagnose } from './diagnose.mjs';
import { benchSamplerOverhead } from './sampler.mjs';
import { benchCli } from './cli.mjs';

console.log(`mallinfo benchmarks — Node ${process.version}, ${process.arch}`);
benchSample();
benchBytesPerSample();
benchSamplerOverhead();
await benchExporters();
await benchTrim();
benchDiagnose();
await benchCli();
