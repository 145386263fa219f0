// Shared test helpers: independent sources of truth and child processes.
import { execFile, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { GlibcHeapStats, MemorySample } from 'mallinfo';

export const root = join(__dirname, '..');

/** The sample's heap statistics, which must be glibc's (narrowed for the raw mallinfo fields). */
export function glibcHeap(s: MemorySample): GlibcHeapStats {
  const heap = s.heap;
  if (heap?.allocator !== 'glibc') throw new Error(`expected glibc's heap statistics, got ${heap?.allocator ?? 'none'}`);
  return heap;
}

/** Glibc heap statistics of a synthetic sample: `inUse` bytes in use and `free` bytes free in the arenas. */
export function syntheticHeap(inUse: number, free: number): GlibcHeapStats {
  return {
    allocator: 'glibc',
    inUse,
    free,
    mapped: inUse + free,
    mmapped: 0,
    exact: true,
    mallinfo: { arena: inUse + free, ordblks: 10, smblks: 0, hblks: 0, hblkhd: 0, usmblks: 0, fsmblks: 0, uordblks: inUse, fordblks: free, keepcost: 0 },
  };
}

export const KiB = 1024;
export const MiB = 1024 * 1024;
export const GiB = 1024 * MiB;

/** A field of /proc/self/status in bytes (the kernel's own accounting). */
export function procStatusBytes(field: string, pid: number | 'self' = 'self'): number {
  const text = readFileSync(`/proc/${pid}/status`, 'latin1');
  const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(text);
  if (!match) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Number(match[1]) * KiB;
}

/** RSS of a process as `ps` reports it, in bytes. */
export function psRssBytes(pid: number): number {
  const out = spawnSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`ps failed: ${out.stderr}`);
  return Number(out.stdout.trim()) * KiB;
}

/** Open file descriptors of this process. */
export function openFdCount(): number {
  return readdirSync('/proc/self/fd').length;
}

const execFileAsync = promisify(execFile);

/** Runs a Node script (ESM or CJS file, or -e code) and returns its stdout. */
export async function runNode(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; timeoutMs?: number; cwd?: string } = {},
): Promise<{ stdout: string; stderr: string }> {
  return execFileAsync(process.execPath, args, {
    cwd: options.cwd ?? root,
    env: { ...process.env, ...options.env },
    timeout: options.timeoutMs ?? 60_000,
    maxBuffer: 64 * MiB,
  });
}

/** Runs a script that prints one JSON document on its last line; returns it parsed. */
export async function runNodeJson<T>(args: string[], options?: Parameters<typeof runNode>[1]): Promise<T> {
  const { stdout } = await runNode(args, options);
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as T;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Catches the rejection of `promise`; fails if it resolves. */
export async function rejection<T = Error>(promise: Promise<unknown>): Promise<T> {
  try {
    await promise;
  } catch (error) {
    return error as T;
  }
  throw new Error('expected a rejection');
}
