/**
 * Heap snapshots (`v8.writeHeapSnapshot()`) and sampling profiles (an
 * in-process `node:inspector` session) of this process. Both run
 * synchronously on the main thread, which is what lets a final snapshot be
 * taken in an `exit` handler.
 * @packageDocumentation
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { Session } from 'node:inspector';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { writeHeapSnapshot } from 'node:v8';
import type { SamplingProfile } from './attribution-sampling';
import { collectGarbage } from '../testing/gc';

/** Bytes read from a written snapshot at a time. */
const SNAPSHOT_CHUNK_BYTES = 1024 * 1024;

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
   * Through `v8.writeHeapSnapshot()`, which is synchronous on every Node
   * version (the inspector's `HeapProfiler.takeHeapSnapshot` answers later
   * from Node 22 on); node ids are the same heap profiler's, so snapshots
   * of one process diff by id either way.
   */
  snapshot(onChunk: (chunk: string) => void): number {
    const started = performance.now();
    // Two full collections: the floor, freed ArrayBuffers swept.
    collectGarbage();
    const dir = mkdtempSync(join(tmpdir(), 'mallinfo-snapshot-'));
    try {
      const file = writeHeapSnapshot(join(dir, 'heap.heapsnapshot'));
      const fd = openSync(file, 'r');
      try {
        const buffer = Buffer.allocUnsafe(SNAPSHOT_CHUNK_BYTES);
        const decoder = new StringDecoder('utf8');
        for (let n = readSync(fd, buffer); n > 0; n = readSync(fd, buffer)) onChunk(decoder.write(buffer.subarray(0, n)));
        const rest = decoder.end();
        if (rest.length > 0) onChunk(rest);
      } finally {
        closeSync(fd);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
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
