/**
 * The target's inspector, from the outside: opening it with SIGUSR1 on the
 * port its Node options name (or finding the one already open), its
 * WebSocket URL from `/json/list`, and a minimal Chrome DevTools Protocol
 * session that evaluates expressions in the target. Loopback only; every
 * wait is bounded.
 *
 * The WebSocket client is `ws`: Node 20 has a global `WebSocket` only
 * behind `--experimental-websocket`, which a CLI started by `npx` cannot
 * pass to itself; `ws` has no dependencies and is the client Node's own
 * tooling ecosystem uses.
 * @packageDocumentation
 */
import { get } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket = require('ws');
import { AttachError, isAlive, isLoopback, listeningSockets, ownListeningSockets, type TargetInfo } from './attach-target';

/** Where the target's inspector listens, and whether attach opened it (and so must close it). */
export interface InspectorEndpoint {
  host: string;
  port: number;
  openedByUs: boolean;
}

/** How long each step may take before attach gives up, ms. */
export interface AttachTimeouts {
  /** From SIGUSR1 until the inspector listens. */
  openMs: number;
  /** One HTTP request or WebSocket handshake. */
  connectMs: number;
  /** One evaluation in the target. */
  evaluateMs: number;
}

export const DEFAULT_TIMEOUTS: AttachTimeouts = { openMs: 5000, connectMs: 3000, evaluateMs: 10_000 };

const POLL_MS = 25;

function hostFor(address: string): string {
  return address.includes(':') ? `[${address}]` : address;
}

/** GET a small JSON document from the inspector's HTTP side, bounded by `timeoutMs`. */
export function getJson(host: string, port: number, path: string, timeoutMs: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const request = get({ host: host.replace(/^\[|\]$/g, ''), port, path, timeout: timeoutMs, headers: { host: `${hostFor(host)}:${port}` } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        } catch (error) {
          reject(error as Error);
        }
      });
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error(`no answer from ${host}:${port} within ${timeoutMs} ms`)));
    request.on('error', reject);
  });
}

async function isNodeInspector(host: string, port: number, timeoutMs: number): Promise<boolean> {
  try {
    const version = (await getJson(host, port, '/json/version', timeoutMs)) as { Browser?: unknown };
    return typeof version.Browser === 'string' && version.Browser.startsWith('node.js/');
  } catch {
    return false;
  }
}


/**
 * Opens the target's inspector, or finds the one already open. Refuses,
 * without signalling, when its inspect port is held by another process.
 * @throws AttachError when it does not open in time.
 */
export async function openInspector(target: TargetInfo, timeouts: AttachTimeouts): Promise<InspectorEndpoint> {
  const { pid, inspect } = target;
  const before = ownListeningSockets(pid);
  if (inspect.openAtStart) {
    // Started with --inspect: its inspector is one of its sockets (the named port first), unless closed since.
    const candidates = [...before].sort((a, b) => Number(b.port === inspect.port) - Number(a.port === inspect.port));
    for (const socket of candidates) {
      if (isLoopback(socket.address) && (await isNodeInspector(socket.address, socket.port, timeouts.connectMs))) {
        return { host: socket.address, port: socket.port, openedByUs: false };
      }
    }
  }
  if (inspect.port !== 0) {
    const own = before.find((s) => s.port === inspect.port && isLoopback(s.address));
    if (own && (await isNodeInspector(own.address, own.port, timeouts.connectMs))) return { host: own.address, port: own.port, openedByUs: false };
    const taken = own ?? listeningSockets(pid).find((s) => s.port === inspect.port);
    if (taken) {
      throw new AttachError(
        `port ${inspect.port} (where pid ${pid} would open its inspector) is already in use by ${own ? 'the target itself' : 'another process'}: not signalling it`,
        5,
      );
    }
  }
  try {
    process.kill(pid, 'SIGUSR1');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') throw new AttachError(`pid ${pid} exited before its inspector could be opened`, 3);
    throw error;
  }
  const deadline = Date.now() + timeouts.openMs;
  while (Date.now() < deadline) {
    await sleep(POLL_MS);
    if (!isAlive(pid)) throw new AttachError(`pid ${pid} exited while its inspector was opening`, 3);
    const fresh = ownListeningSockets(pid).filter((s) => !before.some((b) => b.inode === s.inode) && (inspect.port === 0 || s.port === inspect.port));
    for (const socket of fresh) {
      if (!isLoopback(socket.address)) continue;
      if (await isNodeInspector(socket.address, socket.port, timeouts.connectMs)) return { host: socket.address, port: socket.port, openedByUs: true };
    }
  }
  // No new socket: an inspector opened earlier elsewhere (inspector.open(port)) makes SIGUSR1 a no-op.
  for (const socket of before) {
    if (isLoopback(socket.address) && (await isNodeInspector(socket.address, socket.port, timeouts.connectMs))) {
      return { host: socket.address, port: socket.port, openedByUs: false };
    }
  }
  throw new AttachError(
    `pid ${pid} did not open its inspector within ${timeouts.openMs} ms of SIGUSR1 (a process.on('SIGUSR1') listener in it, or a Node without inspector)`,
    6,
  );
}

/** Whether anything still listens on the inspector's port in the target (after closing it). */
export function inspectorListening(pid: number, endpoint: InspectorEndpoint): boolean {
  return ownListeningSockets(pid).some((s) => s.port === endpoint.port);
}

interface ProtocolReply {
  id?: number;
  result?: { result?: { value?: unknown; description?: string }; exceptionDetails?: { text?: string; exception?: { description?: string } } };
  error?: { message?: string };
}

/** One DevTools Protocol session with the target's main thread. */
export class InspectorSession {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: ProtocolReply) => void; reject: (e: Error) => void }>();
  /** Set when the target answered that its context is gone: it is exiting. */
  targetExiting = false;
  /** Settles when the connection closes (the target exited, or close()). */
  readonly closed: Promise<void>;

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data: Buffer) => {
      const reply = JSON.parse(data.toString('utf8')) as ProtocolReply;
      if (reply.id === undefined) return;
      this.pending.get(reply.id)?.resolve(reply);
      this.pending.delete(reply.id);
    });
    this.closed = new Promise((resolve) =>
      socket.once('close', () => {
        for (const { reject } of this.pending.values()) reject(new AttachError('the target closed the inspector connection (it exited?)', 1));
        this.pending.clear();
        resolve();
      }),
    );
    socket.on('error', () => socket.terminate());
  }

  get open(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  /** Connects to the target's main thread (the first `node` target of `/json/list`). */
  static async connect(endpoint: InspectorEndpoint, timeoutMs: number): Promise<InspectorSession> {
    const list = (await getJson(endpoint.host, endpoint.port, '/json/list', timeoutMs)) as Array<{ webSocketDebuggerUrl?: string }>;
    const url = list.find((t) => typeof t.webSocketDebuggerUrl === 'string')?.webSocketDebuggerUrl;
    if (url === undefined) throw new AttachError(`the inspector on port ${endpoint.port} lists no target (is a debugger already attached?)`, 1);
    if (!isLoopback(new URL(url).hostname.replace(/^\[|\]$/g, ''))) throw new AttachError(`the inspector gave a WebSocket URL that is not loopback: ${url}`, 5);
    const socket = new WebSocket(url, { handshakeTimeout: timeoutMs, perMessageDeflate: false, maxPayload: 64 * 1024 * 1024 });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', (error) => reject(new AttachError(`cannot connect to the inspector of the target: ${error.message}`, 1)));
    });
    return new InspectorSession(socket);
  }

  /**
   * Evaluates `expression` in the target's main context, with the command
   * line API (`require`), and returns its value (with `awaitPromise`, what its promise resolves to).
   * @throws AttachError when it throws there, or takes longer than `timeoutMs`.
   */
  async evaluate(expression: string, timeoutMs: number, options: { awaitPromise?: boolean } = {}): Promise<unknown> {
    if (!this.open) throw new AttachError('the inspector connection is closed (the target exited?)', 1);
    const id = this.nextId++;
    let timer: NodeJS.Timeout | undefined;
    const reply = await new Promise<ProtocolReply>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new AttachError(`the target did not answer within ${timeoutMs} ms`, 6));
      }, timeoutMs);
      // awaitPromise only where a promise comes back: V8 12 (Node 22) answers "Promise was collected"
      // when a collection runs meanwhile, even for an evaluation whose value is not a promise.
      const params = { expression, includeCommandLineAPI: true, returnByValue: true, awaitPromise: options.awaitPromise === true, silent: true };
      this.socket.send(JSON.stringify({ id, method: 'Runtime.evaluate', params }));
    }).finally(() => clearTimeout(timer));
    if (reply.error) {
      // An exiting target has no context left, and (a session being connected) waits for it to disconnect.
      if (/Cannot find context/.test(reply.error.message ?? '')) this.targetExiting = true;
      throw new AttachError(`the target refused an evaluation: ${reply.error.message ?? 'unknown error'}`, 1);
    }
    const thrown = reply.result?.exceptionDetails;
    if (thrown) throw new AttachError(`in the target: ${thrown.exception?.description?.split('\n')[0] ?? thrown.text ?? 'an exception'}`, 1);
    return reply.result?.result?.value;
  }

  /** Closes the connection; resolves when closed, or after `timeoutMs` (then it is cut). */
  async close(timeoutMs: number): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return;
    this.socket.close();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.closed, new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
    this.socket.terminate();
  }
}
