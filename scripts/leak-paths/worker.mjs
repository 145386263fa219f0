// worker_threads: per call, a 1 KB message posted to a worker that echoes
// it back, awaited (structured clone both ways, message ports).
import { Worker } from 'node:worker_threads';

const echo = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', (m) => parentPort.postMessage(m));
`;

export async function open() {
  const worker = new Worker(echo, { eval: true });
  const message = { text: 'x'.repeat(512), bytes: new Uint8Array(512) };
  return {
    call: () =>
      new Promise((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
        worker.postMessage(message);
      }).finally(() => worker.removeAllListeners('error')),
    close: () => worker.terminate(),
  };
}
