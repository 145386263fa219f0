// `mallinfo run` end to end against real child programs: what reaches the
// NDJSON file, exit codes and signals, output passed through byte for byte;
// under glibc's malloc and under a preloaded jemalloc and tcmalloc.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { alive, CLI_ALLOCATORS, cliUnder, firstJsonLine, fixture, lastJsonLine, readRecords, scratchDir } from './cli-helpers';
import { MiB } from './helpers';

const top = scratchDir();
afterAll(() => rmSync(top, { recursive: true, force: true }));

/** Runs the CLI and resolves once the fixture has printed its pid; `done` is the CLI's result. */
function startCli(runCli: typeof import('./cli-helpers').runCli, args: string[]) {
  let cli!: import('node:child_process').ChildProcess;
  let pidLine: (pid: number) => void;
  const pid = new Promise<number>((resolve) => (pidLine = resolve));
  const done = runCli(args, {
    started: (child) => {
      cli = child;
      let text = '';
      child.stdout!.on('data', (b: Buffer) => {
        text += b.toString();
        if (text.includes('\n')) pidLine(firstJsonLine<{ pid: number }>(text).pid);
      });
    },
  });
  return { done, pid, signal: (s: NodeJS.Signals) => cli.kill(s) };
}

describe.concurrent.each(CLI_ALLOCATORS)('mallinfo run under %s', (allocator) => {
  const runCli: typeof import('./cli-helpers').runCli = cliUnder(allocator);
  const dir = join(top, allocator);
  mkdirSync(dir);
  it('records the run in NDJSON: the command, the process with its own pid, its samples, how it ended', async () => {
    const ndjson = join(dir, 'clean.ndjson');
    const result = await runCli(['run', '--interval', '50ms', '--ndjson', ndjson, '--json', '--', 'node', fixture('hello.cjs')]);
    expect(result.code).toBe(0);
    const { pid } = firstJsonLine<{ pid: number }>(result.stdout);
    const records = readRecords(ndjson);
    expect(records[0]).toMatchObject({ type: 'run', format: 'mallinfo-run', command: ['node', fixture('hello.cjs')], intervalMs: 50 });
    expect(records.at(-1)).toMatchObject({ type: 'end', exitCode: 0, signal: null });
    const processes = records.filter((r) => r.type === 'process');
    expect(processes).toHaveLength(1);
    expect(processes[0]).toMatchObject({ pid, argv: [process.execPath, fixture('hello.cjs')], node: process.version, error: null });
    const samples = records.filter((r) => r.type === 'sample');
    expect(samples.length).toBeGreaterThanOrEqual(2);
    for (const s of samples) {
      expect(s.pid).toBe(pid);
      expect(s.sample.process.resident).toBeGreaterThan(10 * MiB);
      expect(s.sample.heap.inUse).toBeGreaterThan(0);
      expect(s.sample.heap.allocator).toBe(allocator);
    }
    expect(records.filter((r) => r.type === 'exit')).toEqual([expect.objectContaining({ pid })]);
    // The summary on stdout is about that process; the live lines went to stderr.
    const summary = lastJsonLine(result.stdout);
    expect(summary).toMatchObject({ exitCode: 0, signal: null, primary: { pid, samples: samples.length } });
    expect(result.stderr).toContain(`mallinfo pid ${pid} `);
  });

  it('records a program that calls process.exit() before its first event-loop turn: its process, its last sample, its exit (issue 12 #11)', async () => {
    const ndjson = join(dir, 'exit-at-once.ndjson');
    const result = await runCli(['run', '--quiet', '--ndjson', ndjson, '--', 'node', '-e', 'console.log(JSON.stringify({ pid: process.pid })); process.exit(3)']);
    expect(result.code).toBe(3);
    const { pid } = firstJsonLine<{ pid: number }>(result.stdout);
    const records = readRecords(ndjson);
    expect(records.filter((r) => r.type === 'process')).toEqual([expect.objectContaining({ pid, error: null })]);
    expect(records.filter((r) => r.type === 'sample').length).toBeGreaterThanOrEqual(1);
    expect(records.filter((r) => r.type === 'exit')).toEqual([expect.objectContaining({ pid })]);
    expect(records.at(-1)).toMatchObject({ type: 'end', exitCode: 3 });
    expect(result.stderr).not.toContain('No Node process was sampled');
  });

  it('measures what the program allocates: the Buffers a leaking program says it kept show in "in use" and RSS', async () => {
    const result = await runCli(['run', '--interval', '100ms', '--quiet', '--json', '--', 'node', fixture('leak.mjs')]);
    expect(result.code).toBe(0);
    const { leakedBytes } = JSON.parse(result.stdout.toString().split('\n')[1]) as { leakedBytes: number };
    expect(leakedBytes).toBeGreaterThan(10 * MiB);
    const { series } = lastJsonLine(result.stdout);
    expect(series.inUse.final - series.inUse.first).toBeGreaterThan(leakedBytes * 0.9);
    expect(series.inUse.final - series.inUse.first).toBeLessThan(leakedBytes * 1.3);
    expect(series.resident.final - series.resident.first).toBeGreaterThan(leakedBytes * 0.8);
    expect(series.inUse.peak - series.inUse.final).toBeLessThan(leakedBytes * 0.05);
  });

  it.each([
    ['exits with 3', ['code', '3'], 3, null],
    ['throws (exit code 1)', ['throw'], 1, null],
    ['dies by SIGKILL', ['signal', 'SIGKILL'], 137, 'SIGKILL'],
    ['dies by SIGSEGV', ['signal', 'SIGSEGV'], 139, 'SIGSEGV'],
  ])('exits as the command did when it %s', async (_, how, code, signal) => {
    const ndjson = join(dir, `exit-${code}.ndjson`);
    const result = await runCli(['run', '--interval', '50ms', '--ndjson', ndjson, '--', 'node', fixture('exit-code.mjs'), ...how]);
    expect(result.code).toBe(code);
    expect(readRecords(ndjson).at(-1)).toMatchObject({ type: 'end', exitCode: signal ? null : code, signal });
    const ending = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    expect(result.stderr).toContain(`mallinfo: node ${fixture('exit-code.mjs')} ${how.join(' ')} ${ending}`);
  });

  it('forwards SIGINT to the command and exits with its code after a graceful shutdown', async () => {
    const cli = startCli(runCli, ['run', '--quiet', '--', 'node', fixture('wait-signal.mjs')]);
    await cli.pid;
    cli.signal('SIGINT');
    const result = await cli.done;
    expect(result.stdout.toString()).toContain('got SIGINT');
    expect(result.code).toBe(42);
  });

  it('forwards SIGTERM, exits with 128 + 15 when it kills the command, and leaves no process behind', async () => {
    const cli = startCli(runCli, ['run', '--quiet', '--', 'node', fixture('wait-signal.mjs'), 'ignore']);
    const pid = await cli.pid;
    expect(alive(pid)).toBe(true);
    cli.signal('SIGTERM');
    const result = await cli.done;
    expect(result.code).toBe(143);
    expect(result.stderr).toContain('was killed by SIGTERM');
    expect(alive(pid)).toBe(false);
  });

  it("passes the command's stdout and stderr through byte for byte (5 MB of binary output)", async () => {
    const direct = spawnSync(process.execPath, [fixture('loud.mjs')], { maxBuffer: 64 * MiB });
    const result = await runCli(['run', '--interval', '50ms', '--', 'node', fixture('loud.mjs')]);
    expect(result.code).toBe(0);
    expect(result.stdout.length).toBe(5 * MiB);
    const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    expect(sha256(result.stdout)).toBe(sha256(direct.stdout));
    expect(result.stderr).toContain('loud: done\n');
  });

  it('runs without a shell: arguments reach the command as they are', async () => {
    const marker = join(dir, 'injected');
    const args = [`$(touch ${marker})`, '; touch x', '&&', "'quoted'", '*'];
    const result = await runCli(['run', '--quiet', '--', 'node', '-e', 'console.log(JSON.stringify(process.argv.slice(1)))', ...args]);
    expect(result.code).toBe(0);
    expect(firstJsonLine(`{"argv":${result.stdout.toString().split('\n')[0]}}`).argv).toEqual(args);
    expect(existsSync(marker)).toBe(false);
  });

  it('prints the summary, then fails with exit code 1, when a file cannot be written (a full disk)', async () => {
    const result = await runCli(['run', '--quiet', '--ndjson', '/dev/full', '--html', '/dev/full', '--', 'node', fixture('hello.cjs')]);
    expect(result.code).toBe(1);
    expect(firstJsonLine(result.stdout).pid).toBeGreaterThan(0);
    expect(result.stderr).toMatch(/^mallinfo: node .*hello\.cjs exited with code 0/m);
    expect(result.stderr).toMatch(/\nmallinfo: cannot write \/dev\/full: ENOSPC: no space left on device, write\n$/);
  });

  it('says so and exits with 127 when the command does not exist', async () => {
    const result = await runCli(['run', '--', 'no-such-command-mallinfo']);
    expect(result.code).toBe(127);
    expect(result.stderr).toContain('cannot run "no-such-command-mallinfo": command not found');
  });

  it('--quiet leaves out the live lines but prints the summary', async () => {
    const result = await runCli(['run', '--quiet', '--interval', '50ms', '--', 'node', fixture('hello.cjs')]);
    expect(result.code).toBe(0);
    expect(result.stderr).not.toMatch(/^mallinfo pid /m);
    expect(result.stderr).toMatch(/^mallinfo: node .*hello\.cjs exited with code 0/m);
    expect(result.stderr).toMatch(/^ {2}RSS /m);
  });
});
