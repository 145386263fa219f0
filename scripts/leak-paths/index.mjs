// The real paths of the leak-test reliability suite, and the leaks added
// to them. Each path opens what a test's beforeAll would (a server, a
// worker, a temporary directory) and gives the call to check; each variant
// is that call as it is (clean) or keeping some memory per call.
import * as crypto from './crypto.mjs';
import * as fetchPath from './fetch.mjs';
import * as fs from './fs.mjs';
import * as http from './http.mjs';
import * as tls from './tls.mjs';
import * as worker from './worker.mjs';
import * as zlib from './zlib.mjs';

const KB = 1024;

/**
 * Paths by name: `open()` resolves to `{ call, close }`; `options` are those
 * of the check (the issue's `{ iterations: 200 }` for I/O: a request costs
 * 0.3-3 ms on a loaded 2-core machine).
 */
export const paths = {
  'http keep-alive': { open: () => http.open('keep-alive'), options: { iterations: 200 } },
  'http agent:false': { open: () => http.open('no-agent'), options: { iterations: 200 } },
  'http global agent': { open: () => http.open('global'), options: { iterations: 200 } },
  fetch: { open: fetchPath.open, options: { iterations: 200 } },
  'tls (https keep-alive)': { open: tls.open, options: { iterations: 200 } },
  'zlib streams': { open: zlib.open, options: { iterations: 200 } },
  'fs streams': { open: fs.open, options: { iterations: 200 } },
  'worker postMessage': { open: worker.open, options: { iterations: 200 } },
  crypto: { open: crypto.open, options: { iterations: 200 } },
  // No I/O, default options: the CPU-bound case the checks were first tuned on
  // (1,000 calls a attempt: leaks above 1 KB would keep gigabytes).
  'cpu: 1 MB Buffer dropped': { open: cpu, options: {}, variants: ['clean', 'native 1 KB', 'V8 1 KB'] },
};

/** Allocates and fills 1 MB per call and keeps nothing. */
async function cpu() {
  return { call: () => Buffer.alloc(1024 * KB, 1).length, close: async () => {} };
}

/** JS objects of about `bytes` in V8's heap: an array of doubles (16-byte header, 8 per element) and its 32-byte JSArray. */
function v8Bytes(bytes) {
  return new Array(Math.max(1, Math.round((bytes - 48) / 8))).fill(0.5);
}

/** Variants: what each call keeps, by heap and size. `leaks` says what the right verdict is. */
export const variants = {
  clean: { leaks: false },
  'clean + warmup 2000': { leaks: false, options: { warmup: 2000 }, only: ['http agent:false', 'http global agent'] },
  'native 1 KB': { leaks: true, keep: () => Buffer.alloc(KB) },
  'native 10 KB': { leaks: true, keep: () => Buffer.alloc(10 * KB) },
  'native 100 KB': { leaks: true, keep: () => Buffer.alloc(100 * KB) },
  'V8 1 KB': { leaks: true, keep: () => v8Bytes(KB) },
  'V8 10 KB': { leaks: true, keep: () => v8Bytes(10 * KB) },
  'V8 100 KB': { leaks: true, keep: () => v8Bytes(100 * KB) },
};

/** Whether `variant` is run on `path`. */
export function applies(pathName, variantName) {
  const only = variants[variantName].only;
  const allowed = paths[pathName].variants;
  return (only === undefined || only.includes(pathName)) && (allowed === undefined || allowed.includes(variantName));
}

/**
 * Opens `pathName` and returns the function to check for `variantName`,
 * the options of the check, and `close`.
 */
export async function prepare(pathName, variantName) {
  const path = paths[pathName];
  const variant = variants[variantName];
  if (path === undefined) throw new RangeError(`unknown path ${JSON.stringify(pathName)}; known: ${Object.keys(paths).join(', ')}`);
  if (variant === undefined) throw new RangeError(`unknown variant ${JSON.stringify(variantName)}; known: ${Object.keys(variants).join(', ')}`);
  const { call, close } = await path.open();
  const kept = [];
  const keep = variant.keep;
  const fn = async () => {
    const result = await call();
    if (keep !== undefined) kept.push(keep());
    return result;
  };
  // A time-out says nothing about a leak, and on a shared 2-core machine a check can take 10 times its usual time.
  return { fn, options: { timeoutMs: 120_000, ...path.options, ...variant.options }, close, kept };
}
