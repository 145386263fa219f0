/**
 * The watched process's side of `mallinfo run --attribute`: samples
 * allocations from the start, writes a baseline heap snapshot (and sampling
 * profile) once start-up is over, and a final one when the process exits
 * or is asked to stop by SIGINT/SIGTERM; the CLI diffs them afterwards.
 * Every snapshot follows two full collections: they are taken at floor times.
 * @packageDocumentation
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HeapCapture } from './attribution-capture';
import { attributionFileNames } from '../cli/attribute-env';
import { binding } from '../core/native';

const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/** Starts capturing into `dir`: the baseline `baselineAfterMs` from now, the final snapshot at exit. */
export function startAttributionCapture(dir: string, baselineAfterMs: number): void {
  const capture = new HeapCapture();
  capture.startSampling();
  const names = attributionFileNames(process.pid);
  // Under jemalloc with its profiler on (--attribute-native), its heap profiles too.
  const jemalloc = binding.jemallocProfiling() === true;
  const take = (sampling: string, snapshot: string, heap: string): void => {
    // The snapshot first, so that it holds none of the profiles' own objects; each step collects garbage first.
    capture.snapshotToFile(join(dir, snapshot));
    writeFileSync(join(dir, sampling), JSON.stringify(capture.samplingProfile()), { mode: 0o600 });
    if (jemalloc) binding.jemallocProfDump(join(dir, heap));
  };
  let state: 'waiting' | 'baseline' | 'done' = 'waiting';
  const timer = setTimeout(() => {
    take(names.baselineSampling, names.baselineSnapshot, names.baselineJemalloc);
    state = 'baseline';
  }, baselineAfterMs);
  timer.unref();
  const finish = (): void => {
    if (state !== 'baseline') return;
    state = 'done';
    take(names.finalSampling, names.finalSnapshot, names.finalJemalloc);
    capture.close();
  };
  process.once('exit', finish);
  for (const signal of STOP_SIGNALS) {
    const onSignal = (): void => {
      finish();
      // Nobody else listens: do what the signal would have done without us.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    };
    process.once(signal, onSignal);
  }
}
