/**
 * Heap snapshots and sampling profiles of this process, through an
 * in-process `node:inspector` session. Its calls run synchronously on the
 * main thread (the session dispatches before `post` returns), which is what
 * lets a final snapshot be taken in an `exit` handler.
 * @packageDocumentation
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { Session } from 'node:inspector';
import type { SamplingProfile } from './attribution-sampling';
import { collectGarbage } from '../testing/gc';

/** Bytes between two samples of V8's sampling heap profiler by default (V8's own default). */
export const DEFAULT_SAMPLING_INTERVAL_BYTES = 32 * 1024;

/** Whether a HeapCapture of this copy of the package is sampling: V8's sampling heap profiler is one per isolate. */
let samplingOwner: HeapCapture | null = null;

/** An inspector session with the heap profiler enabled. */
export class HeapCapture {
  private readonly session = new Session();
  private sampling = false;
  private closed = false;

  constructor() {
    this.session.connect();
    this.post('HeapProfiler.enable');
  }

  private post<T>(method: string, params?: object): T {
    let result: T | undefined;
    let failure: Error | null = null;
    let done = false;
    this.session.post(method, params, (error, value) => {
      failure = error;
      result = value as T;
      done = true;
    });
    if (!done) throw new Error(`inspector ${method} did not answer synchronously`);
    if (failure !== null) throw failure;
    return result as T;
  }

  /** Starts V8's sampling heap profiler (one sample about every `intervalBytes` allocated). */
  startSampling(intervalBytes: number = DEFAULT_SAMPLING_INTERVAL_BYTES): void {
    if (samplingOwner !== null) {
      throw new Error("V8's sampling heap profiler is already running for another attribution in this thread: stop() that one first");
    }
    this.post('HeapProfiler.startSampling', { samplingInterval: intervalBytes });
    this.sampling = true;
    samplingOwner = this;
  }

  /** The sampled allocations still alive after a full collection (the floor), or null when not sampling. */
  samplingProfile(): SamplingProfile | null {
    if (!this.sampling) return null;
    // A floor, and the ArrayBuffer sweeper done: the jemalloc dump that may follow sees the same state.
    collectGarbage();
    return this.post<{ profile: SamplingProfile }>('HeapProfiler.getSamplingProfile').profile;
  }

  /**
   * Takes a heap snapshot after a full collection and hands its text over
   * chunk by chunk (the process is paused meanwhile). Returns the pause, ms.
   */
  snapshot(onChunk: (chunk: string) => void): number {
    const started = performance.now();
    // Two full collections (HeapProfiler.collectGarbage answers asynchronously): the floor, freed ArrayBuffers swept.
    collectGarbage();
    const listener = (message: { params: { chunk: string } }): void => onChunk(message.params.chunk);
    this.session.on('HeapProfiler.addHeapSnapshotChunk', listener);
    try {
      this.post('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
    } finally {
      this.session.off('HeapProfiler.addHeapSnapshotChunk', listener);
    }
    return performance.now() - started;
  }

  /** A heap snapshot as one string (see {@link snapshot}). */
  snapshotText(): { text: string; pauseMs: number } {
    const chunks: string[] = [];
    const pauseMs = this.snapshot((chunk) => chunks.push(chunk));
    return { text: chunks.join(''), pauseMs };
  }

  /** A heap snapshot written to `path` as it is taken (see {@link snapshot}). */
  snapshotToFile(path: string): number {
    const fd = openSync(path, 'w', 0o600);
    try {
      return this.snapshot((chunk) => writeSync(fd, chunk));
    } finally {
      closeSync(fd);
    }
  }

  /** Stops sampling and disconnects; a second call does nothing. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.sampling) {
      this.sampling = false;
      samplingOwner = null;
      this.post('HeapProfiler.stopSampling');
    }
    this.session.disconnect();
  }

  /** Whether {@link close} was called. */
  get isClosed(): boolean {
    return this.closed;
  }
}
