// `npm run bench`: every benchmark of the project, printed as tables.
import { benchSample } from './sample.mjs';
import { benchExporters } from './exporters.mjs';
import { benchTrim } from './trim.mjs';
import { benchDiagnose } from './diagnose.mjs';

console.log(`mallinfo benchmarks — Node ${process.version}, ${process.arch}`);
benchSample();
await benchExporters();
await benchTrim();
benchDiagnose();
