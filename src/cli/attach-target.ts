/**
 * What `mallinfo attach` learns about the target from /proc before it does
 * anything to it: that it exists, is this user's, is a Node binary that
 * handles SIGUSR1 (else the signal would kill it), where its inspector
 * would listen (`--inspect-port` and friends in its arguments and its
 * NODE_OPTIONS), and which TCP sockets it listens on. Reading /proc
 * changes nothing in the target.
 * @packageDocumentation
 */
import { readFileSync, readdirSync, readlinkSync, realpathSync } from 'node:fs';
import { basename } from 'node:path';

/** Why attaching is refused or failed: one line for the user, and the CLI's exit code. */
export class AttachError extends Error {
  override readonly name = 'AttachError';
  constructor(
    message: string,
    /** 3: no such process; 4: not this user's; 5: not a Node that can be attached; 6: timed out; 1: other. */
    readonly exitCode: number = 1,
  ) {
    super(message);
  }
}

/** A loopback address and port where the target's inspector listens, or would. */
export interface InspectAddress {
  host: string;
  /** 0: a port the kernel picks. */
  port: number;
  /** Whether `--inspect`, `--inspect-brk` or `--inspect-wait` opened it at start-up already. */
  openAtStart: boolean;
  /** Whether it serves `/json/list` (`--inspect-publish-uid` includes `http`, the default): without it attach could not connect, nor close it. */
  publishesHttp: boolean;
}

/** A TCP socket the target listens on, from /proc/PID/net/tcp{,6}. */
export interface ListeningSocket {
  address: string;
  port: number;
  inode: string;
}

/** What /proc says about the target. */
export interface TargetInfo {
  pid: number;
  /** Its executable, resolved. */
  exe: string;
  /** Its argv, from /proc/PID/cmdline. */
  argv: string[];
  /** Where its inspector listens when SIGUSR1 opens it. */
  inspect: InspectAddress;
}

const SIGUSR1_BIT = 1n << 9n; // signal 10: bit 9 of the masks in /proc/PID/status
const NODE_EXE = /^(node|nodejs)(\d+(\.\d+)*)?$/;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);
const INSPECT_OPTION = /^--(inspect|inspect-brk|inspect-wait|inspect-port|debug-port)(?:=(.*))?$/;
/** Node options that take their value as the next argument (the rest of argv is the script's). */
const VALUE_OPTIONS = new Set(['-r', '--require', '--import', '--loader', '--experimental-loader', '-e', '--eval', '-p', '--print', '--title', '-C', '--conditions', '--input-type', '--env-file']);

function read(pid: number, file: string): string {
  return readFileSync(`/proc/${pid}/${file}`, 'latin1');
}

/** `[host:]port` of an inspect option; the host keeps its brackets off. */
export function parseInspectValue(value: string, current: InspectAddress): InspectAddress {
  const match = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(value);
  if (match) return { ...current, host: match[1] ?? match[2], port: Number(match[3]) };
  if (/^\d+$/.test(value)) return { ...current, port: Number(value) };
  return { ...current, host: value };
}

/**
 * Where SIGUSR1 opens the inspector of a process with these Node options:
 * 127.0.0.1:9229 unless `--inspect-port`, `--debug-port` or `--inspect*=`
 * says otherwise (the last one wins, NODE_OPTIONS first as Node reads it).
 */
export function inspectAddressOf(nodeOptions: readonly string[]): InspectAddress {
  let address: InspectAddress = { host: '127.0.0.1', port: 9229, openAtStart: false, publishesHttp: true };
  for (let i = 0; i < nodeOptions.length; i++) {
    const publish = /^--inspect-publish-uid=(.*)$/.exec(nodeOptions[i]);
    if (publish) address = { ...address, publishesHttp: publish[1].split(',').includes('http') };
    const match = INSPECT_OPTION.exec(nodeOptions[i]);
    if (!match) continue;
    const [, name, value] = match;
    if (name.startsWith('inspect') && name !== 'inspect-port') address = { ...address, openAtStart: true };
    if (value !== undefined) address = parseInspectValue(value, address);
    else if ((name === 'inspect-port' || name === 'debug-port') && i + 1 < nodeOptions.length) address = parseInspectValue(nodeOptions[++i], address);
  }
  return address;
}

/** The Node options in an argv: from argv[1] up to the script (or `--`). */
export function nodeOptionsOf(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--' || !arg.startsWith('-')) break;
    out.push(arg);
    if (VALUE_OPTIONS.has(arg) && i + 1 < argv.length) out.push(argv[++i]);
  }
  return out;
}

function envNodeOptions(pid: number): string[] {
  const entry = read(pid, 'environ')
    .split('\0')
    .find((e) => e.startsWith('NODE_OPTIONS='));
  return entry === undefined ? [] : entry.slice('NODE_OPTIONS='.length).split(/\s+/).filter((o) => o !== '');
}

function statusField(status: string, name: string): string | undefined {
  return new RegExp(`^${name}:\\s*(.*)$`, 'm').exec(status)?.[1];
}

/** Refuses a pid that is gone, a zombie, another user's, or unreadable. */
function checkExists(pid: number): string {
  let status: string;
  try {
    process.kill(pid, 0);
    status = read(pid, 'status');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ESRCH' || code === 'ENOENT') throw new AttachError(`no process with pid ${pid}`, 3);
    if (code === 'EPERM' || code === 'EACCES') throw new AttachError(`pid ${pid} belongs to another user: attach runs as the target's user`, 4);
    throw error;
  }
  if (statusField(status, 'State')?.startsWith('Z')) throw new AttachError(`pid ${pid} has exited (a zombie not yet reaped)`, 3);
  const uid = Number(statusField(status, 'Uid')?.split(/\s+/)[0]);
  const self = process.getuid?.();
  if (self !== undefined && self !== 0 && uid !== self) throw new AttachError(`pid ${pid} belongs to another user (uid ${uid}): attach runs as the target's user`, 4);
  return status;
}

/** Refuses a process that is not Node, or that does not catch SIGUSR1 (the signal would kill it). */
function checkNode(pid: number, status: string): string {
  let exe: string;
  try {
    exe = readlinkSync(`/proc/${pid}/exe`).replace(/ \(deleted\)$/, '');
  } catch {
    throw new AttachError(`cannot read /proc/${pid}/exe: pid ${pid} belongs to another user, or is a kernel thread`, 4);
  }
  let same = false;
  try {
    same = realpathSync(exe) === realpathSync(process.execPath);
  } catch {
    // A deleted binary (upgraded under it): judge by its name.
  }
  if (!same && !NODE_EXE.test(basename(exe))) throw new AttachError(`pid ${pid} is not a Node process (${exe})`, 5);
  const caught = BigInt(`0x${statusField(status, 'SigCgt') ?? '0'}`);
  const ignored = BigInt(`0x${statusField(status, 'SigIgn') ?? '0'}`);
  if ((ignored & SIGUSR1_BIT) !== 0n) throw new AttachError(`pid ${pid} ignores SIGUSR1: its inspector cannot be opened`, 5);
  if ((caught & SIGUSR1_BIT) === 0n) {
    throw new AttachError(
      `pid ${pid} does not handle SIGUSR1 (started with --disable-sigusr1, a Node without inspector, or still starting): not signalling it, the signal would kill it`,
      5,
    );
  }
  return exe;
}

/**
 * Everything attach needs to know before touching the target.
 * @throws AttachError when the target cannot or must not be attached.
 */
export function inspectTarget(pid: number): TargetInfo {
  const status = checkExists(pid);
  const exe = checkNode(pid, status);
  const argv = read(pid, 'cmdline').split('\0').slice(0, -1);
  const inspect = inspectAddressOf([...envNodeOptions(pid), ...nodeOptionsOf(argv)]);
  if (!LOOPBACK_HOSTS.has(inspect.host) && !inspect.host.startsWith('127.')) {
    throw new AttachError(`pid ${pid} would open its inspector on ${inspect.host}, not loopback: refusing (anyone who reaches it can run code in the process)`, 5);
  }
  if (!inspect.publishesHttp) {
    throw new AttachError(`pid ${pid} runs with --inspect-publish-uid without http: its inspector would not tell attach where to connect, and could not be closed again`, 5);
  }
  return { pid, exe, argv, inspect };
}

/** `0100007F:240D` → 127.0.0.1, 9229 (IPv4); IPv6 as 32 hex digits in four host-order words. */
function decodeAddress(hex: string): { address: string; port: number } {
  const [host, port] = hex.split(':');
  let address: string;
  if (host.length === 8) {
    address = [3, 2, 1, 0].map((i) => parseInt(host.slice(i * 2, i * 2 + 2), 16)).join('.');
  } else {
    const bytes: number[] = [];
    for (let w = 0; w < 4; w++) for (const i of [3, 2, 1, 0]) bytes.push(parseInt(host.slice(w * 8 + i * 2, w * 8 + i * 2 + 2), 16));
    const groups: string[] = [];
    for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] << 8) | bytes[i + 1]).toString(16));
    address = groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
  }
  return { address, port: parseInt(port, 16) };
}

/** Every listening TCP socket in the target's network namespace (any owner). */
export function listeningSockets(pid: number): ListeningSocket[] {
  const out: ListeningSocket[] = [];
  for (const file of ['net/tcp', 'net/tcp6']) {
    let text: string;
    try {
      text = read(pid, file);
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 10 || cols[3] !== '0A') continue; // 0A: LISTEN
      out.push({ ...decodeAddress(cols[1]), inode: cols[9] });
    }
  }
  return out;
}

/** The listening sockets that the target itself holds open (by socket inode among its fds). */
export function ownListeningSockets(pid: number): ListeningSocket[] {
  const inodes = new Set<string>();
  let fds: string[] = [];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return [];
  }
  for (const fd of fds) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match) inodes.add(match[1]);
    } catch {
      // Closed meanwhile.
    }
  }
  return listeningSockets(pid).filter((s) => inodes.has(s.inode));
}

/** Whether an address is loopback. */
export function isLoopback(address: string): boolean {
  return address.startsWith('127.') || address === '::1' || address === '::ffff:127.0.0.1';
}

/** Whether a process with this pid exists (and may be signalled by us). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
