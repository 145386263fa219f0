// A reader that goes away (`| head -1`, `| true`) stops only the CLI's own
// printing: the watched command runs to its end, the NDJSON file is
// complete, the channel's directory is removed (issue 12 #4).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliPath, readRecords, scratchDir } from './cli-helpers';
import { root } from './helpers';

const dir = scratchDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI with stdout and stderr piped; `close` says which pipe to close, and when. */
function runClosing(name: string, args: string[], close: 'stdout-at-once' | 'stderr-after-first-line') {
  const tmp = join(dir, `${name}-tmp`);
  const ndjson = join(dir, `${name}.ndjson`);
  const marker = join(dir, `${name}.done`);
  const program = `setTimeout(() => require('fs').writeFileSync(${JSON.stringify(marker)}, 'done'), 1500)`;
  return new Promise<{ code: number | null; ndjson: string; marker: string; tmp: string }>((resolve, reject) => {
    mkdirSync(tmp);
    const cli = spawn(process.execPath, [cliPath, 'run', '--interval', '50ms', '--ndjson', ndjson, ...args, '--', 'node', '-e', program], {
      cwd: root,
      env: { ...process.env, TMPDIR: tmp },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (close === 'stdout-at-once') cli.stdout.destroy();
    else cli.stdout.resume();
    cli.stderr.on('data', (chunk: Buffer) => {
      if (close === 'stderr-after-first-line' && chunk.includes('\n')) cli.stderr.destroy();
    });
    const timer = setTimeout(() => reject(new Error('the CLI did not end')), 30_000);
    cli.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, ndjson, marker, tmp });
    });
  });
}

describe.concurrent('mallinfo run when its stdout or stderr reader goes away', () => {
  it.each([
    ['stderr closed after the first live line (2>&1 >/dev/null | head -1)', 'head', [], 'stderr-after-first-line'],
    ['stdout closed before the JSON summary (--json | true)', 'json', ['--json'], 'stdout-at-once'],
  ] as const)('%s: the command ends on its own, the file is whole, no channel left', async (_, name, args, close) => {
    const result = await runClosing(name, [...args], close);
    expect(result.code).toBe(0);
    expect(existsSync(result.marker)).toBe(true);
    const records = readRecords(result.ndjson);
    expect(records.filter((r) => r.type === 'sample').length).toBeGreaterThan(2);
    expect(records.at(-1)).toMatchObject({ type: 'end', exitCode: 0, signal: null });
    expect(readdirSync(result.tmp)).toEqual([]);
  });
});
