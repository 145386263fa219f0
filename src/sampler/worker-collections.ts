/**
 * The Sampler's own collections (`collectEveryMs`) in worker threads too.
 *
 * A worker thread has its own V8 isolate: the main thread's `gc()` leaves
 * its garbage alone, and the Buffers a worker has dropped hold malloc'd
 * memory until that worker collects. In-use read after the main thread's
 * collections then counts the workers' garbage as live memory: a worker
 * that receives small messages and collects once every few minutes looks
 * like a steady native leak. A worker that calls `answerCollections()`
 * (under `mallinfo run`, its preload does so in every worker) runs two full
 * collections when the Sampler asks, over a BroadcastChannel, and says so;
 * the Sampler reads in-use once they all have, and once it has collected
 * the main thread itself.
 * @packageDocumentation
 */
import { BroadcastChannel, isMainThread, threadId } from 'node:worker_threads';
import { collectGarbage } from '../core/gc';

const CHANNEL_NAME = 'mallinfo:collect';

type Message =
  | { type: 'collect'; id: number }
  | { type: 'who' }
  | { type: 'collected'; id: number; threadId: number }
  | { type: 'hello'; threadId: number };

let answering: BroadcastChannel | null = null;

/**
 * In a worker thread: run two full garbage collections whenever a Sampler
 * of the main thread with `collectEveryMs` runs its own, so that its
 * readings hold this thread's live memory only, not its garbage. Keeps
 * nothing alive; calling it again, or in the main thread, does nothing.
 * `mallinfo run` calls it in every worker thread of the watched program.
 * Returns a function that stops answering.
 */
export function answerCollections(): () => void {
  if (isMainThread || answering !== null) return () => {};
  const channel = new BroadcastChannel(CHANNEL_NAME);
  answering = channel;
  channel.unref();
  channel.onmessage = (event) => {
    const message = (event as { data: Message }).data;
    if (message?.type === 'collect') {
      try {
        collectGarbage();
      } catch {
        // Never break the worker: without an answer, the Sampler leaves it out.
        return;
      }
      channel.postMessage({ type: 'collected', id: message.id, threadId } satisfies Message);
    } else if (message?.type === 'who') {
      channel.postMessage({ type: 'hello', threadId } satisfies Message);
    }
  };
  // A Sampler started before this worker learns of it now; one started later asks ('who').
  channel.postMessage({ type: 'hello', threadId } satisfies Message);
  return () => {
    if (answering !== channel) return;
    answering = null;
    channel.close();
  };
}

/**
 * The main thread's side: which worker threads answer, and a request that
 * resolves once they all collected (or `timeoutMs` passed). A worker that
 * did not answer in time is left out until it answers again (it exited, or
 * its event loop is busy).
 */
export class WorkerCollections {
  private channel: BroadcastChannel | null = null;
  private readonly answering = new Set<number>();
  private nextId = 1;
  private pending: { id: number; waiting: Set<number>; done: (answered: number) => void; answered: number } | null = null;

  constructor(private readonly timeoutMs: number) {}

  /** Worker threads known to answer. */
  get count(): number {
    return this.answering.size;
  }

  /** Listens, and asks the worker threads already running to say they answer. */
  start(): void {
    if (this.channel !== null) return;
    const channel = new BroadcastChannel(CHANNEL_NAME);
    channel.unref();
    channel.onmessage = (event) => this.receive((event as { data: Message }).data);
    this.channel = channel;
    channel.postMessage({ type: 'who' } satisfies Message);
  }

  /** Stops listening; a pending request resolves with the answers so far. */
  stop(): void {
    this.finish();
    this.channel?.close();
    this.channel = null;
    this.answering.clear();
  }

  /** Asks every answering worker to collect; resolves with how many did, in time. */
  request(): Promise<number> {
    const channel = this.channel;
    if (channel === null || this.answering.size === 0) return Promise.resolve(0);
    this.finish();
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        for (const missing of this.pending?.id === id ? this.pending.waiting : []) this.answering.delete(missing);
        this.finish();
      }, this.timeoutMs);
      timer.unref();
      this.pending = {
        id,
        waiting: new Set(this.answering),
        answered: 0,
        done: (answered) => {
          clearTimeout(timer);
          resolve(answered);
        },
      };
      channel.postMessage({ type: 'collect', id } satisfies Message);
    });
  }

  private receive(message: Message): void {
    if (message?.type === 'hello') this.answering.add(message.threadId);
    if (message?.type !== 'collected') return;
    this.answering.add(message.threadId);
    const pending = this.pending;
    if (pending === null || pending.id !== message.id || !pending.waiting.delete(message.threadId)) return;
    pending.answered++;
    if (pending.waiting.size === 0) this.finish();
  }

  private finish(): void {
    const pending = this.pending;
    this.pending = null;
    pending?.done(pending.answered);
  }
}
