/**
 * The CLI's end of the channel: a unix socket in a private temporary
 * directory. Every Node process of the command connects on its own (so
 * lines of different processes never interleave, and a grandchild started
 * by npm or a shell finds it through the inherited environment), announces
 * itself with a `process` record, then sends samples. A closed connection
 * is that process's exit.
 * @packageDocumentation
 */
import { EventEmitter } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LineSplitter } from './lines';
import { EXIT_SPOOL_PATTERN } from './preload-env';
import { parseRecord, type RunEvent } from './records';

/** A unix socket path longer than this does not fit in `sockaddr_un`. */
const MAX_SOCKET_PATH = 100;

/** Events of {@link Channel}. */
export interface ChannelEvents {
  /** A record from a process (its `process` record first, then its samples, then an `exit`). */
  record: [record: RunEvent];
  /** A line that did not parse, or came from a connection that did not say which process it is. */
  invalid: [reason: string];
}

/** The listening socket that the preloaded processes send their records to. */
export class Channel extends EventEmitter<ChannelEvents> {
  /** Open connections, each with a promise that settles when it closes. */
  private readonly connections = new Map<Socket, Promise<void>>();
  /**
   * Records that came after {@link Channel.close} ended the grace (from a
   * process that outlived the command, cut then): dropped, not emitted, so
   * that nothing reaches a file after the run's end.
   */
  late = 0;
  private closed = false;

  private constructor(
    private readonly server: Server,
    private readonly dir: string,
    /** Path of the socket: what `MALLINFO_CHANNEL` is set to. */
    readonly path: string,
  ) {
    super();
    server.on('connection', (socket) => this.accept(socket));
  }

  /** Creates the directory (mode 0700: only this user can connect) and listens. */
  static async open(): Promise<Channel> {
    let base = tmpdir();
    if (join(base, 'mallinfo-XXXXXX', 'channel.sock').length > MAX_SOCKET_PATH) base = '/tmp';
    const dir = mkdtempSync(join(base, 'mallinfo-'));
    const path = join(dir, 'channel.sock');
    const server = createServer();
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(path, () => {
          server.off('error', reject);
          resolve();
        });
      });
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
    return new Channel(server, dir, path);
  }

  /**
   * The reader of one process's lines (a connection, or a spool file): the
   * first `process` record says which process it is; `done` emits its exit.
   */
  private speaker(): { take: (line: string) => void; done: () => void } {
    let pid: number | undefined;
    const take = (line: string): void => {
      let record: RunEvent | null;
      try {
        record = parseRecord(line);
      } catch (error) {
        this.emit('invalid', (error as Error).message);
        return;
      }
      if (record === null) return;
      if (pid === undefined && record.type === 'process') pid = record.pid;
      // A process speaks only for itself, and only through these record types.
      const own = 'pid' in record && record.pid === pid;
      if (own && ['process', 'sample', 'trim', 'gc'].includes(record.type)) {
        this.deliver(record);
      } else {
        this.emit('invalid', `unexpected ${record.type} record on the channel`);
      }
    };
    const done = (): void => {
      if (pid !== undefined) this.deliver({ type: 'exit', pid, time: Date.now() });
    };
    return { take, done };
  }

  private accept(socket: Socket): void {
    this.connections.set(socket, new Promise((resolve) => socket.once('close', () => resolve())));
    const { take, done } = this.speaker();
    const lines = new LineSplitter();
    socket.on('data', (chunk: Buffer) => {
      for (const line of lines.push(chunk)) take(line);
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      this.connections.delete(socket);
      // A last line without its newline: a record if whole, else (the process died mid-write) invalid.
      const rest = lines.end();
      if (rest !== undefined) take(rest);
      done();
    });
  }

  /** The records of processes that exited before they connected (see exitSpoolName), each file as one connection. */
  private readSpoolFiles(): void {
    let names: string[];
    try {
      names = readdirSync(this.dir).filter((name) => EXIT_SPOOL_PATTERN.test(name));
    } catch {
      return;
    }
    for (const name of names) {
      let text: string;
      try {
        text = readFileSync(join(this.dir, name), 'utf8');
      } catch {
        continue;
      }
      const { take, done } = this.speaker();
      for (const line of text.split('\n')) if (line.trim() !== '') take(line);
      done();
    }
  }

  /** Emits a record, or counts it as late once the channel is closed. */
  private deliver(record: RunEvent): void {
    if (this.closed) this.late++;
    else this.emit('record', record);
  }

  /**
   * Stops listening, waits up to `graceMs` for the connected processes to
   * finish sending (a process that exited has its connection closed by the
   * kernel; one that lives on, detached, is cut), and removes the directory.
   * From the end of the grace on, no record is emitted: what still comes
   * (a cut connection's last line, its exit) is counted in {@link Channel.late}.
   */
  async close(graceMs: number): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
    await Promise.race([Promise.all(this.connections.values()), grace]);
    clearTimeout(timer);
    this.readSpoolFiles();
    this.closed = true;
    const cut = [...this.connections.values()];
    for (const socket of this.connections.keys()) socket.destroy();
    // Their close handlers count what they still had as late: wait for them, so that the count is final.
    await Promise.all(cut);
    await closed;
    rmSync(this.dir, { recursive: true, force: true });
  }
}
