// Where the HTML report goes (src/cli/report-file.ts): a regular file is
// written under a temporary name and renamed into place, through a symlink
// to its file; anything else (stdout on a pipe) is written in place.
import { spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileError } from '../src/cli/ndjson';
import { ReportFile } from '../src/cli/report-file';
import { cliPath, scratchDir } from './cli-helpers';

const dir = scratchDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ReportFile', () => {
  it('leaves the old report in place until the new one is whole, and nothing else behind', () => {
    const path = join(dir, 'report.html');
    writeFileSync(path, 'old report');
    const file = ReportFile.open(path);
    expect(readFileSync(path, 'utf8')).toBe('old report');
    expect(readdirSync(dir)).toEqual([expect.stringMatching(/^\.report\.html\.[0-9a-f]{16}\.tmp$/), 'report.html']);
    file.write('new report');
    expect(readFileSync(path, 'utf8')).toBe('new report');
    expect(readdirSync(dir)).toEqual(['report.html']);
    // Discarded: the path stays as it was.
    const again = ReportFile.open(path);
    again.discard();
    expect(readFileSync(path, 'utf8')).toBe('new report');
    expect(readdirSync(dir)).toEqual(['report.html']);
  });

  it('replaces the file a symlink points to, and keeps the link', () => {
    const sub = join(dir, 'linked');
    mkdirSync(sub);
    writeFileSync(join(sub, 'real.html'), 'old');
    symlinkSync(join(sub, 'real.html'), join(sub, 'link.html'));
    ReportFile.open(join(sub, 'link.html')).write('new');
    expect(lstatSync(join(sub, 'link.html')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(sub, 'real.html'), 'utf8')).toBe('new');
  });

  it('does not write through a symlink planted at a temporary name it could predict (issue 12 #8)', () => {
    const sub = join(dir, 'planted');
    mkdirSync(sub);
    const victim = join(sub, 'victim.txt');
    writeFileSync(victim, 'precious');
    // The old temporary name was .NAME.PID.tmp, opened with 'w' (following symlinks).
    symlinkSync(victim, join(sub, `.r.html.${process.pid}.tmp`));
    ReportFile.open(join(sub, 'r.html')).write('report');
    expect(readFileSync(victim, 'utf8')).toBe('precious');
    expect(readFileSync(join(sub, 'r.html'), 'utf8')).toBe('report');
  });

  it('names the path given, not the temporary one, when the directory cannot be written', () => {
    const path = join(dir, 'missing-dir', 'out.html');
    expect(() => ReportFile.open(path)).toThrow(new FileError(`cannot write ${path}: ENOENT: no such file or directory, open '${path}'`));
  });

  it('mallinfo run --html /dev/stdout on a pipe writes the report to stdout, in place', () => {
    // A real pipe (| cat): Node's own stdio pipes are sockets, which /dev/stdout cannot open.
    const script = `"$0" "$1" run --quiet --interval 50ms --html /dev/stdout -- "$0" -e 'setTimeout(() => {}, 200)' | cat`;
    const result = spawnSync('sh', ['-c', script, process.execPath, cliPath], { encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^<!doctype html>[^]*<\/html>\n?$/);
    expect(readdirSync('/dev').filter((f) => f.startsWith('.stdout'))).toEqual([]);
    expect(lstatSync('/dev/stdout').isSymbolicLink()).toBe(true);
  });
});
