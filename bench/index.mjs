// `npm run bench`: every benchmark of the project, printed as tables.
import { benchSample } from './sample.mjs';
import { benchTesting } from './testing.mjs';

console.log(`mallinfo benchmarks — Node ${process.version}, ${process.arch}`);
benchSample();
await benchTesting();
