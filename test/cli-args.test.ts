// Bad input to `mallinfo run`: each mistake is a clear message, the usage,
// exit code 2, and the command is not started.
import { existsSync, linkSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCli, parseInterval } from '../src/cli/args';
import { runCli, scratchDir } from './cli-helpers';

const dir = scratchDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.concurrent('mallinfo run: arguments', () => {
  it.each([
    ['500ms', 500],
    ['1s', 1000],
    ['10s', 10_000],
    ['1.5s', 1500],
    ['2m', 120_000],
    ['10ms', 10],
  ])('reads --interval %s as %i ms', (text, ms) => {
    expect(parseInterval(text)).toBe(ms);
  });

  it.each(['0', '0ms', '0s', 'abc', '5', '-1s', '1.5ms', '9ms', '1 s', '1S', '1h', '', '3000000000ms'])('refuses --interval %j', (text) => {
    expect(() => parseInterval(text)).toThrow(/^--interval must be a duration from 10ms, with its unit \(500ms, 1s, 10s, 2m\), got /);
  });

  it('takes the command after --, or from the first argument that is not an option, untouched', () => {
    const run = (argv: string[]) => {
      const cli = parseCli(argv);
      if (cli.kind !== 'run') throw new Error('not run');
      return [cli.run.command, ...cli.run.args];
    };
    expect(run(['run', '--quiet', '--', 'node', '--inspect', 'app.js', '--', '--json'])).toEqual(['node', '--inspect', 'app.js', '--', '--json']);
    expect(run(['run', '--interval', '2s', 'node', 'app.js', '--quiet'])).toEqual(['node', 'app.js', '--quiet']);
    expect(run(['run', '--', '--odd-command'])).toEqual(['--odd-command']);
  });

  it('collects every second by default; --collect-every takes a duration or off', () => {
    const every = (argv: string[]) => {
      const cli = parseCli(['run', ...argv, '--', 'node', 'app.js']);
      if (cli.kind !== 'run') throw new Error('not run');
      return cli.run.collectEveryMs;
    };
    expect(every([])).toBe(1000);
    expect(every(['--collect-every', '2s'])).toBe(2000);
    expect(every(['--collect-every', 'off'])).toBeNull();
    expect(() => every(['--collect-every', 'Off'])).toThrow(/^--collect-every must be off or a duration/);
  });

  it.each([
    [['run', '--bogus', '--', 'node', '-e', 'WRITE_MARKER'], "Unknown option '--bogus'"],
    [['run'], 'missing the command to run'],
    [['run', '--quiet', '--'], 'missing the command to run'],
    [['run', '--interval', '0', '--', 'node', '-e', 'WRITE_MARKER'], '--interval must be a duration from 10ms, with its unit (500ms, 1s, 10s, 2m), got "0"'],
    [['run', '--interval', 'abc', '--', 'node', '-e', 'WRITE_MARKER'], '--interval must be a duration from 10ms, with its unit (500ms, 1s, 10s, 2m), got "abc"'],
    [['run', '--interval=-1s', '--', 'node', '-e', 'WRITE_MARKER'], '--interval must be a duration from 10ms, with its unit (500ms, 1s, 10s, 2m), got "-1s"'],
    [['run', '--interval', '--', 'node'], "Option '--interval <value>' argument missing"],
    [['run', '--ndjson', '', '--', 'node'], '--ndjson needs a file name'],
    [['run', '--collect-every', '1', '--', 'node', '-e', 'WRITE_MARKER'], '--collect-every must be off or a duration from 10ms, with its unit (500ms, 1s, 10s, 2m), got "1"'],
    [['walk'], 'unknown command "walk": expected run, report or attach'],
    [['report'], 'missing the file: mallinfo report <samples.ndjson>'],
    [['report', 'a.ndjson', '--quiet'], "Unknown option '--quiet'"],
  ])('mallinfo %j fails with exit code 2: %s', async (args, message) => {
    const marker = join(dir, 'ran');
    const result = await runCli(args.map((a) => (a === 'WRITE_MARKER' ? `require('fs').writeFileSync(${JSON.stringify(marker)}, '')` : a)));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`mallinfo: ${message}`);
    expect(result.stderr).toContain('Usage:\n  mallinfo run [options] -- <command> [args...]');
    expect(result.stdout.toString()).toBe('');
    expect(existsSync(marker)).toBe(false);
  });

  it('refuses --ndjson and --html naming one file, however it is spelled (issue 12 #9)', async () => {
    const sub = join(dir, 'same');
    mkdirSync(join(sub, 'a'), { recursive: true });
    writeFileSync(join(sub, 'saved.ndjson'), 'earlier samples\n');
    symlinkSync(join(sub, 'saved.ndjson'), join(sub, 'link.ndjson'));
    linkSync(join(sub, 'saved.ndjson'), join(sub, 'hard.ndjson'));
    const marker = join(dir, 'same-ran');
    const command = ['--', 'node', '-e', `require('fs').writeFileSync(${JSON.stringify(marker)}, '')`];
    for (const [ndjson, html] of [
      ['out.x', 'out.x'],
      ['out.x', './out.x'],
      ['out.x', join(sub, 'a', '..', 'out.x')],
      ['saved.ndjson', 'link.ndjson'],
      ['hard.ndjson', 'saved.ndjson'],
    ]) {
      const result = await runCli(['run', '--quiet', '--ndjson', ndjson, '--html', html, ...command], { cwd: sub });
      expect(result.code, `${ndjson} ${html}`).toBe(2);
      expect(result.stderr).toContain(`mallinfo: --ndjson and --html name the same file (${html}): the report would replace the samples`);
    }
    const report = await runCli(['report', 'saved.ndjson', '--html', 'link.ndjson'], { cwd: sub });
    expect(report.code).toBe(2);
    expect(report.stderr).toContain('mallinfo: the file to read and --html name the same file (link.ndjson): the report would replace the samples');
    expect(readFileSync(join(sub, 'saved.ndjson'), 'utf8')).toBe('earlier samples\n');
    expect(existsSync(join(sub, 'out.x'))).toBe(false);
    expect(existsSync(marker)).toBe(false);
  });

  it('fails before starting the command when --ndjson or --html cannot be written', async () => {
    const marker = join(dir, 'ran');
    for (const option of ['--ndjson', '--html']) {
      const result = await runCli(['run', option, join(dir, 'missing-dir', 'out'), '--', 'node', '-e', `require('fs').writeFileSync(${JSON.stringify(marker)}, '')`]);
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(`mallinfo: cannot write ${join(dir, 'missing-dir', 'out')}: ENOENT: no such file or directory, open '${join(dir, 'missing-dir', 'out')}'\n`);
      expect(existsSync(marker)).toBe(false);
    }
  });

  it('prints the usage for --help and with no arguments', async () => {
    for (const args of [['--help'], []]) {
      const result = await runCli(args);
      expect(result.code).toBe(0);
      expect(result.stdout.toString()).toContain('Usage:\n  mallinfo run [options] -- <command> [args...]');
    }
  });
});
