// Helpers for the CLI's end-to-end tests: run `mallinfo` as a user would
// (node lib/cli/main.js), with real child programs from fixtures/cli.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { root } from './helpers';
import { preloadPath } from './preload';

export const cliPath = join(root, 'lib', 'cli', 'main.js');

export function fixture(name: string): string {
  return join(root, 'test', 'fixtures', 'cli', name);
}

export function scratchDir(): string {
  return mkdtempSync(join(tmpdir(), 'mallinfo-cli-'));
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: string;
}

/** The allocators the CLI's run/report tests run under: glibc's own, and jemalloc and tcmalloc LD_PRELOADed into the CLI and the command. */
export const CLI_ALLOCATORS = ['glibc', 'jemalloc', 'tcmalloc'] as const;
export type CliAllocator = (typeof CLI_ALLOCATORS)[number];

/** The environment that makes `allocator` serve malloc in the CLI and everything it starts. */
export function allocatorEnv(allocator: CliAllocator): NodeJS.ProcessEnv {
  return { LD_PRELOAD: allocator === 'glibc' ? undefined : preloadPath(allocator) };
}

type CliOptions = { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number; started?: (child: ChildProcess) => void; cli?: string; uid?: number; gid?: number };

/** {@link runCli} with `allocator` preloaded (the options' own env comes on top). */
export function cliUnder(allocator: CliAllocator): (args: string[], options?: CliOptions) => Promise<CliResult> {
  return (args, options = {}) => runCli(args, { ...options, env: { ...allocatorEnv(allocator), ...options.env } });
}

/** Runs the CLI to its end; `started` sees the process (to signal it). */
export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [options.cli ?? cliPath, ...args], {
      cwd: options.cwd ?? root,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      uid: options.uid,
      gid: options.gid,
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => stdout.push(b));
    child.stderr.on('data', (b: Buffer) => stderr.push(b));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`mallinfo ${args.join(' ')} timed out; stderr: ${Buffer.concat(stderr).toString()}`));
    }, options.timeoutMs ?? 30_000);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: Buffer.concat(stdout), stderr: Buffer.concat(stderr).toString() });
    });
    options.started?.(child);
  });
}

/** The records of an NDJSON file. */
export function readRecords(file: string): Array<Record<string, any>> {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line));
}

/** The first JSON line a fixture printed on stdout (its pid, …). */
export function firstJsonLine<T = Record<string, any>>(stdout: Buffer | string): T {
  const line = String(stdout).split('\n').find((l) => l.startsWith('{'));
  if (line === undefined) throw new Error(`no JSON line in: ${String(stdout).slice(0, 200)}`);
  return JSON.parse(line) as T;
}

/** The last line of stdout parsed as JSON (the summary of --json). */
export function lastJsonLine<T = Record<string, any>>(stdout: Buffer | string): T {
  const lines = String(stdout).trimEnd().split('\n');
  return JSON.parse(lines[lines.length - 1]) as T;
}

/** Whether a process with this pid exists (signal 0 probes without killing). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * The verdict on the fragmentation story (bursts of 10,000 × 50 KB Buffers,
 * made and dropped): fragmentation. On Node 22 and later it may instead be
 * a native leak outside malloc with fragmentation beside it: Node's own
 * memory outside malloc and V8's heap grows as ArrayBuffers are made (Node
 * 24: ~1.1 MB per 10,000, without end; Node 22: ~4 MB over the first
 * 50,000, then ~0.2 MB per 10,000; Node 26: ~4.5 MB, then level; Node 20:
 * none), which is what that finding says.
 */
export function expectFragmentationStory(diagnosis: { verdict: string; evidence: { nativeSeries?: string | null; secondary: Array<{ kind: string }> } }): void {
  const { verdict, evidence } = diagnosis;
  if (Number(process.versions.node.split('.')[0]) >= 22 && verdict === 'native-leak') {
    expect(evidence.nativeSeries).toBe('outsideMalloc');
    expect(evidence.secondary.map((f) => f.kind)).toContain('fragmentation');
  } else {
    expect(verdict).toBe('fragmentation');
  }
}
