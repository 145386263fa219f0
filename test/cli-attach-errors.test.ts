// `mallinfo attach` refusing: a pid that is not Node, gone, another user's,
// a Node that does not open its inspector on SIGUSR1, an inspect port taken
// by another process or not on loopback. Each gives one line on stderr and
// an exit code, within a bounded time, and leaves the process as it was.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { statSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { attachFixture, startTarget, type Target } from './attach-helpers';
import { alive, runCli, scratchDir, type CliResult } from './cli-helpers';

const targets: Target[] = [];
afterEach(() => {
  for (const t of targets.splice(0)) t.stop();
});

async function target(mode: string, options?: Parameters<typeof startTarget>[2], script = 'target.cjs'): Promise<Target> {
  const t = await startTarget(script, mode, options);
  targets.push(t);
  return t;
}

function expectOneLine(result: CliResult, code: number, message: RegExp): void {
  expect(result.code, result.stderr).toBe(code);
  expect(result.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(message)]);
  expect(result.stdout.length).toBe(0);
}

describe('mallinfo attach: refusals', () => {
  it('refuses a process that is not Node, without signalling it (SIGUSR1 would kill it)', async () => {
    const sleep = spawn('sleep', ['30'], { stdio: 'ignore' });
    await once(sleep, 'spawn');
    try {
      const result = await runCli(['attach', String(sleep.pid), '--once']);
      expectOneLine(result, 5, /^mallinfo: pid \d+ is not a Node process \(.*sleep\)$/);
      expect(alive(sleep.pid!)).toBe(true);
    } finally {
      sleep.kill('SIGKILL');
    }
  });

  it('says a pid that has exited is gone', async () => {
    const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    await once(child, 'exit');
    expectOneLine(await runCli(['attach', String(child.pid), '--once']), 3, new RegExp(`^mallinfo: no process with pid ${child.pid}$`));
  });

  it('gives up on a Node that does not open its inspector on SIGUSR1 (a listener of its own), within the open timeout', async () => {
    const dir = scratchDir();
    const script = join(dir, 'sigusr1.cjs');
    writeFileSync(script, `process.on('SIGUSR1', () => {});\nimport(${JSON.stringify(attachFixture('workload.mjs'))}).then((m) => m.start());\n`);
    const t = await startTarget(script, 'stable', { nodeArgs: ['--inspect-port=0'] });
    targets.push(t);
    const started = Date.now();
    const result = await runCli(['attach', String(t.pid), '--once']);
    expectOneLine(result, 6, /^mallinfo: pid \d+ did not open its inspector within 5000 ms of SIGUSR1/);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(alive(t.pid)).toBe(true);
  });

  // Node >= 22.14 has --disable-sigusr1 (runs under the Node matrix; Node 20 lacks the flag).
  it.runIf(process.allowedNodeEnvironmentFlags.has('--disable-sigusr1'))('refuses a Node started with --disable-sigusr1, without signalling it (the signal would kill it)', async () => {
    const t = await target('stable', { nodeArgs: ['--disable-sigusr1', '--inspect-port=0'] });
    const result = await runCli(['attach', String(t.pid), '--once']);
    expectOneLine(result, 5, new RegExp(`^mallinfo: pid ${t.pid} does not handle SIGUSR1 \\(started with --disable-sigusr1`));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(alive(t.pid)).toBe(true);
  });

  it('does not signal a target whose inspect port another process holds', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    try {
      const port = (holder.address() as AddressInfo).port;
      const t = await target('stable', { nodeArgs: [`--inspect-port=${port}`] });
      const result = await runCli(['attach', String(t.pid), '--once']);
      expectOneLine(result, 5, new RegExp(`^mallinfo: port ${port} \\(where pid ${t.pid} would open its inspector\\) is already in use by another process: not signalling it$`));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(t.stderr()).not.toMatch(/Debugger listening|Starting inspector/);
    } finally {
      holder.close();
    }
  });

  it('refuses a target whose inspector would listen beyond loopback', async () => {
    const t = await target('stable', { nodeArgs: ['--inspect-port=0.0.0.0:0'] });
    expectOneLine(await runCli(['attach', String(t.pid), '--once']), 5, /^mallinfo: pid \d+ would open its inspector on 0\.0\.0\.0, not loopback: refusing/);
    expect(t.stderr()).toBe('');
  });

  it('refuses a target whose inspector would not publish its URL over HTTP (it could not be closed again)', async () => {
    const t = await target('stable', { nodeArgs: ['--inspect-port=0', '--inspect-publish-uid=stderr'] });
    expectOneLine(await runCli(['attach', String(t.pid), '--once']), 5, /^mallinfo: pid \d+ runs with --inspect-publish-uid without http/);
    expect(t.stderr()).toBe('');
  });

  // Needs a node binary another user may run (not one under root's home, as the Node matrix's are).
  it.runIf(process.getuid?.() === 0 && runnableByOthers(process.execPath))('refuses another user\'s process (the CLI as nobody, the target as root)', async () => {
    const t = await target('stable');
    const result = await runCli(['attach', String(t.pid), '--once'], { uid: 65534, gid: 65534 });
    expectOneLine(result, 4, new RegExp(`^mallinfo: pid ${t.pid} belongs to another user`));
    expect(t.stderr()).toBe('');
  });

  it('refuses a pid that is not a number, with the usage', async () => {
    const result = await runCli(['attach', 'node', '--once']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^mallinfo: the pid must be a positive integer, got "node"$/m);
  });
});

/** Whether every directory on the way to `file` and the file itself are open to other users (o+x). */
function runnableByOthers(file: string): boolean {
  for (let path = file; path !== dirname(path); path = dirname(path)) {
    if ((statSync(path).mode & 0o001) === 0) return false;
  }
  return true;
}
