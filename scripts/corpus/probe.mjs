// The independent check of a run's label: what a full collection leaves.
// Two gc() calls (the second waits for the first one's ArrayBuffer
// sweeper), a pause for the sweeper's frees, then the allocator's in-use
// bytes and V8's used heap. Never diagnose(): the label must not come from
// the thing it will be used to test.
import { getHeapStatistics } from 'node:v8';
import { sample } from 'mallinfo';
import { getGc } from '../../lib/testing/gc.js';
import { sleep } from './families/common.mjs';

/** Full garbage collection in this process (and in the workload's workers, through `collectOthers`). */
export async function probe(collectOthers) {
  const gc = getGc();
  if (collectOthers) await collectOthers();
  gc();
  gc();
  await sleep(300);
  const s = sample();
  return {
    inUse: s.heap?.inUse ?? null,
    v8Used: getHeapStatistics().used_heap_size,
    external: s.v8.external,
    rss: s.process?.resident ?? null,
  };
}
