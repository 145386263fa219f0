// SIGTERM reaching `mallinfo run` at any moment of a run that writes
// NDJSON fast (a sample every 10 ms) and an HTML report: the CLI exits the
// documented way (128 + 15, after the command), the NDJSON file stays valid
// line by line and keeps what it had, the report is whole or absent, and
// neither the command nor the channel's directory outlives the CLI.
import { type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseRecord } from '../src/cli/records';
import { fixture, runCli, scratchDir } from './cli-helpers';

const dir = scratchDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** When the test sends SIGTERM, measured from the CLI's start. */
type Moment =
  | { kind: 'at once' }
  | { kind: 'after'; ms: number }
  | { kind: 'file exists' }
  | { kind: 'lines'; count: number; burst?: boolean };

const MOMENTS: Array<[string, Moment]> = [
  ['right after start, before the CLI has loaded', { kind: 'at once' }],
  ['as soon as the NDJSON file exists, before the command runs', { kind: 'file exists' }],
  ['after 100 ms', { kind: 'after', ms: 100 }],
  ['after 300 ms', { kind: 'after', ms: 300 }],
  ['once the command has connected (2 lines)', { kind: 'lines', count: 2 }],
  ['mid-stream (30 lines)', { kind: 'lines', count: 30 }],
  ['mid-stream (150 lines)', { kind: 'lines', count: 150 }],
  ['mid-stream, then again every few ms until the CLI has exited', { kind: 'lines', count: 30, burst: true }],
];

/** Polls `check` every 5 ms until it holds; the test's own timeout bounds it. */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 5));
}

function read(file: string): string {
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}

/** Text up to and including the last newline: the lines complete so far. */
function completeLines(text: string): string {
  return text.slice(0, text.lastIndexOf('\n') + 1);
}

/** Pids of the processes whose command line holds `marker` (the kernel's own list). */
function processesWith(marker: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'latin1').split('\0').includes(marker)) pids.push(Number(entry));
    } catch {
      // It exited while we looked.
    }
  }
  return pids;
}

describe.concurrent('mallinfo run: SIGTERM while writing', () => {
  it.each(MOMENTS)('SIGTERM %s', async (name, moment) => {
    const caseDir = join(dir, name.replace(/\W+/g, '-'));
    const tmp = join(caseDir, 'tmp');
    mkdirSync(tmp, { recursive: true });
    const ndjson = join(caseDir, 'run.ndjson');
    const html = join(caseDir, 'report.html');
    const marker = `sigterm-case-${process.pid}-${name.replace(/\W+/g, '-')}`;
    let cli!: ChildProcess;
    const done = runCli(['run', '--quiet', '--interval', '10ms', '--ndjson', ndjson, '--html', html, '--', 'node', fixture('churn.mjs'), marker], {
      env: { TMPDIR: tmp },
      started: (child) => (cli = child),
    });
    let burst: NodeJS.Timeout | undefined;
    const before = await (async () => {
      if (moment.kind === 'after') await new Promise((resolve) => setTimeout(resolve, moment.ms));
      if (moment.kind === 'file exists') await until(() => existsSync(ndjson));
      if (moment.kind === 'lines') await until(() => completeLines(read(ndjson)).split('\n').length > moment.count);
      const text = completeLines(read(ndjson));
      cli.kill('SIGTERM');
      if (moment.kind === 'lines' && moment.burst) burst = setInterval(() => cli.kill('SIGTERM'), 2);
      return text;
    })();
    const result = await done;
    clearInterval(burst);

    // The NDJSON file: whole lines only, each a valid record, the ones written before the signal kept.
    const after = read(ndjson);
    expect(after.endsWith('\n') || after === '', `last line cut off: ${JSON.stringify(after.slice(-80))}`).toBe(true);
    expect(after.startsWith(before)).toBe(true);
    const records = after.split('\n').slice(0, -1).map((line, i) => {
      const record = parseRecord(line);
      expect(record, `line ${i + 1}`).not.toBeNull();
      return record!;
    });

    // The documented exit: 128 + 15, once the command (if it started) has ended and the files are written.
    const ends = records.filter((r) => r.type === 'end');
    const report = read(html);
    if (ends.length > 0) {
      expect(ends).toHaveLength(1);
      expect(records.at(-1)).toMatchObject({ type: 'end', exitCode: null, signal: 'SIGTERM' });
      expect(result.stderr).toMatch(/^mallinfo: node .*churn\.mjs .* was killed by SIGTERM/m);
      // A burst can still land in Node's own teardown, after the exit event, when every
      // file is complete: the default action then kills it, which a shell sees as the same 143.
      if (result.signal === null || !(moment.kind === 'lines' && moment.burst)) expect(result.code, result.stderr).toBe(143);
      expect(report.startsWith('<!doctype html>')).toBe(true);
      expect(report.trimEnd().endsWith('</html>'), `report cut off: ${JSON.stringify(report.slice(-80))}`).toBe(true);
    } else {
      // Stopped before the command ran: no report, the NDJSON file has at most the run record.
      expect(moment.kind === 'lines', `${name}: no end record`).toBe(false);
      expect(existsSync(html)).toBe(false);
      expect(records.map((r) => r.type)).toEqual(records.length === 0 ? [] : ['run']);
      if (result.signal === null) {
        expect(result.code, result.stderr).toBe(143);
        expect(result.stderr).toBe('mallinfo: stopped by SIGTERM before the command started\n');
      } else {
        // Only a signal before the CLI has loaded its code kills it (the same 143 for a shell).
        expect(result.signal).toBe('SIGTERM');
        expect(moment.kind === 'at once' || moment.kind === 'after', `${name}: the CLI was killed, stderr: ${result.stderr}`).toBe(true);
      }
    }
    if (moment.kind === 'lines') expect(records.length).toBeGreaterThan(moment.count);

    // Nothing else left next to the files (no temporary report).
    expect(readdirSync(caseDir).filter((f) => !['run.ndjson', 'report.html', 'tmp'].includes(f))).toEqual([]);
    // Neither the command nor the channel's directory outlives the CLI.
    expect(processesWith(marker)).toEqual([]);
    expect(readdirSync(tmp)).toEqual([]);
  });
});
