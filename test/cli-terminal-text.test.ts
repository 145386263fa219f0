// Control characters from a run's data (a command's arguments, argv, an
// error, the environment) reach the terminal shown escaped, never as the
// terminal's own controls: no clear screen, no title change (issue 12 #6).
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { showControls } from '../src/cli/terminal-text';
import { runCli, scratchDir } from './cli-helpers';
import { baseline } from './hostile-report';
import { linesOf } from './run-fixture';

const dir = scratchDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const CLEAR = '\x1b[2J\x1b[H';
const TITLE = '\x1b]0;pwned\x07';
const C1_CSI = '\u009b2J';
/** Every C0 control, DEL and every C1 control: what a terminal may act on. */
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

describe('terminal text', () => {
  it('showControls escapes C0, DEL and C1 controls, newlines and tabs too, and leaves other text alone', () => {
    expect(showControls(`a${CLEAR}b`)).toBe('a\\x1b[2J\\x1b[Hb');
    expect(showControls(TITLE)).toBe('\\x1b]0;pwned\\x07');
    expect(showControls('line\nnext\ttab\r\u007f\u009b')).toBe('line\\nnext\\ttab\\r\\x7f\\x9b');
    expect(showControls('é😀 «quoted» \\ plain')).toBe('é😀 «quoted» \\ plain');
  });

  it('mallinfo report shows the controls in a recorded command, argv, error and environment as text', async () => {
    const [run, proc, worker, ...rest] = baseline as Record<string, any>[];
    const file = join(dir, 'controls.ndjson');
    const records = [
      { ...run, command: ['node', CLEAR, TITLE, C1_CSI], allocatorEnv: { MALLOC_ARENA_MAX: CLEAR } },
      { ...proc, argv: ['/usr/bin/node', TITLE, CLEAR], node: `v20${TITLE}` },
      { ...worker, error: `failed${CLEAR}` },
      ...rest,
    ];
    writeFileSync(file, linesOf(records).join('\n') + '\n');
    const result = await runCli(['report', file]);
    rmSync(file);
    expect(result.code).toBe(0);
    expect(result.stderr).not.toMatch(CONTROLS);
    expect(result.stderr).toContain('\\x1b[2J\\x1b[H');
    expect(result.stderr).toContain('\\x1b]0;pwned\\x07');
    expect(result.stderr).toContain('\\x9b2J');
  });

  it('mallinfo run shows the controls in the command line as text, in its live lines and its summary', async () => {
    const result = await runCli(['run', '--interval', '50ms', '--', 'node', '-e', 'setTimeout(() => {}, 300)', CLEAR, TITLE]);
    expect(result.code).toBe(0);
    expect(result.stderr).not.toMatch(CONTROLS);
    expect(result.stderr).toContain('\\x1b[2J\\x1b[H');
  });
});

describe('terminal text in errors', () => {
  it('a bad line whose field name holds controls is named with them shown', async () => {
    const [run, ...rest] = baseline as Record<string, any>[];
    const file = join(dir, 'bad-key.ndjson');
    writeFileSync(file, linesOf([{ ...run, allocatorEnv: { [CLEAR]: 5 } }, ...rest]).join('\n') + '\n');
    const result = await runCli(['report', file]);
    expect(result.code).toBe(1);
    expect(result.stderr).not.toMatch(CONTROLS);
    expect(result.stderr).toContain('allocatorEnv.\\x1b[2J\\x1b[H must be a string');
  });
});
