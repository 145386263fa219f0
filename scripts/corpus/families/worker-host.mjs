// A worker thread that runs part of a workload (its allocations come from
// its own malloc arena), driven by calls: `call(method, args)` resolves
// with the worker's answer.
import { Worker } from 'node:worker_threads';

export async function startWorker(kind, params) {
  const worker = new Worker(new URL('./worker-thread.mjs', import.meta.url), { workerData: { kind, params } });
  const pending = new Map();
  let nextId = 0;
  worker.on('message', (m) => {
    if (m?.id === undefined) return;
    pending.get(m.id)?.(m.result);
    pending.delete(m.id);
  });
  worker.on('error', (e) => {
    for (const resolve of pending.values()) resolve({ error: String(e) });
    pending.clear();
  });
  await new Promise((resolve) => worker.once('online', resolve));
  const host = {
    lastStats: undefined,
    call(method, args = {}) {
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, (result) => {
          if (result?.stats) host.lastStats = result.stats;
          resolve(result);
        });
        worker.postMessage({ id, method, args });
      });
    },
    worker,
    close: () => worker.terminate(),
  };
  return host;
}
