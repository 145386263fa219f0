// `mallinfo report <file>`: the same summary from a saved run, and a clear
// error, naming the line, for a file that is not one; for runs recorded under
// glibc's malloc and under a preloaded jemalloc and tcmalloc.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_ALLOCATORS, cliUnder, fixture, lastJsonLine, scratchDir } from './cli-helpers';

const top = scratchDir();
afterAll(() => rmSync(top, { recursive: true, force: true }));

describe.concurrent.each(CLI_ALLOCATORS)('mallinfo report of a run under %s', (allocator) => {
  const runCli = cliUnder(allocator);
  const dir = join(top, allocator);
  mkdirSync(dir);
  const saved = join(dir, 'leak.ndjson');
  let runSummary: Record<string, unknown>;
  let lines: string[];

  beforeAll(async () => {
    const result = await runCli(['run', '--quiet', '--json', '--interval', '100ms', '--ndjson', saved, '--', 'node', fixture('leak.mjs')], {
      env: { DURATION_MS: '1000' },
    });
    expect(result.code).toBe(0);
    runSummary = lastJsonLine(result.stdout);
    lines = (await import('node:fs')).readFileSync(saved, 'utf8').trimEnd().split('\n');
  });

  const firstSample = (l: string[]): string => l.find((line) => line.startsWith('{"type":"sample"')) as string;

  function withLines(name: string, content: string[]): string {
    const file = join(dir, name);
    writeFileSync(file, content.join('\n') + '\n');
    return file;
  }

  it('gives the same summary from the saved file as the run gave live', async () => {
    const result = await runCli(['report', saved, '--json']);
    expect(result.code).toBe(0);
    expect(lastJsonLine(result.stdout)).toEqual(runSummary);
  });

  it('prints the text summary on stderr without --json', async () => {
    const result = await runCli(['report', saved]);
    expect(result.code).toBe(0);
    expect(result.stdout.toString()).toBe('');
    expect(result.stderr).toMatch(/^mallinfo: node .*leak\.mjs exited with code 0 after /);
    expect(result.stderr).toMatch(/^ {2}in use( +[\d.]+ [KMG]?B){3} +\+[\d.]+ [KMG]?B(\/min| in [\d.]+ (ms|s))$/m);
  });

  it('skips empty lines and records of unknown types', async () => {
    const file = withLines('extra.ndjson', [lines[0], '', '{"type":"from-the-future","x":1}', ...lines.slice(1)]);
    const result = await runCli(['report', file, '--json']);
    expect(result.code).toBe(0);
    expect(lastJsonLine(result.stdout)).toEqual(runSummary);
  });

  it.each([
    ['a line that is not JSON', (l: string[]) => [l[0], l[1], '{"type":"sample","pid":1,', ...l.slice(2)], 'line 3: not valid JSON ('],
    ['a sample without its V8 numbers', (l: string[]) => [l[0], l[1], '{"type":"sample","pid":1,"sample":{"time":1,"costNs":1,"heap":null,"process":null}}'], 'line 3: sample.v8 is missing'],
    ['a sample with a string for RSS', (l: string[]) => [l[0], l[1], firstSample(l).replace(/("process":\{[^}]*"resident":)\d+/, '$1"big"')], 'line 3: sample.process.resident must be a finite number'],
    ['a record without a type', (l: string[]) => [l[0], '[1,2]'], 'line 2: a record must be a JSON object'],
    ['a run record of another format', (l: string[]) => [l[0].replace('mallinfo-run', 'other'), ...l.slice(1)], 'line 1: format must be "mallinfo-run"'],
  ])('names the line of %s', async (name, edit, message) => {
    const file = withLines(`${name.replace(/\W+/g, '-')}.ndjson`, edit(lines));
    const result = await runCli(['report', file]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^mallinfo: .*\n$/);
    expect(result.stderr).toContain(`mallinfo: ${file}, ${message}`);
  });

  it('says why a file cannot be read: missing, a directory, or without a sample', async () => {
    const missing = await runCli(['report', join(dir, 'nope.ndjson')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(`mallinfo: cannot read ${join(dir, 'nope.ndjson')}: ENOENT: no such file or directory, stat '${join(dir, 'nope.ndjson')}'\n`);
    mkdirSync(join(dir, 'a-dir'));
    const directory = await runCli(['report', join(dir, 'a-dir')]);
    expect(directory.code).toBe(1);
    expect(directory.stderr).toBe(`mallinfo: cannot read ${join(dir, 'a-dir')}: it is a directory\n`);
    const empty = withLines('empty.ndjson', [lines[0]]);
    const none = await runCli(['report', empty]);
    expect(none.code).toBe(1);
    expect(none.stderr).toBe(`mallinfo: ${empty} holds no sample (1 line read)\n`);
  });
});
