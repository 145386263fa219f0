// The live view: on a terminal (a real pseudo-terminal, from util-linux's
// `script`), a panel at the bottom rows redrawn in place while the
// command's output scrolls above it; in a pipe, one line per sample.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { formatCommand } from '../src/cli/format';
import { cliPath, fixture, firstJsonLine } from './cli-helpers';
import { root } from './helpers';

const ESC = '\x1b';
const ROWS = 30;
const COLUMNS = 100;

/** Runs the CLI on a pseudo-terminal of ROWS × COLUMNS; returns everything the terminal received. */
function onTerminal(args: string[]): string {
  const command = formatCommand([process.execPath, cliPath, ...args]);
  const out = spawnSync('script', ['-qec', `stty rows ${ROWS} cols ${COLUMNS}; ${command}`, '/dev/null'], {
    cwd: root,
    encoding: 'utf8',
    timeout: 30_000,
  });
  expect(out.status).toBe(0);
  return out.stdout;
}

describe('the live view', () => {
  it('on a terminal: keeps a panel on the bottom rows, redrawn in place, with the output scrolling above', () => {
    const screen = onTerminal(['run', '--interval', '100ms', '--', 'node', fixture('leak.mjs')]);
    // The scroll region ends above the panel's 6 rows, and is reset at the end.
    expect(screen).toContain(`${ESC}7${ESC}[1;${ROWS - 6}r${ESC}8`);
    const end = screen.indexOf(`${ESC}[r`);
    expect(end).toBeGreaterThan(0);
    // Each frame: save the cursor, rewrite rows 25–30, restore the cursor.
    const frames = screen.slice(0, end).split(`${ESC}7`).filter((f) => f.startsWith(`${ESC}[${ROWS - 5};1H`));
    expect(frames.length).toBeGreaterThan(5);
    const last = frames[frames.length - 1];
    const rows = [...last.matchAll(new RegExp(`${ESC}\\[(\\d+);1H${ESC}\\[2K([^${ESC}]*)`, 'g'))].map((m) => [Number(m[1]), m[2]] as const);
    expect(rows.map(([row]) => row)).toEqual([25, 26, 27, 28, 29, 30]);
    const text = rows.map(([, line]) => line);
    const { pid } = firstJsonLine(screen.slice(screen.indexOf('{"pid"')));
    expect(text[0]).toMatch(new RegExp(`^mallinfo ▸ node .*leak\\.mjs · pid ${pid} · \\d+ samples · [\\d.]+ s$`));
    expect(text[1]).toMatch(/^RSS +[\d.]+ MB {2}[▁▂▃▄▅▆▇█]{10,}$/);
    expect(text[2]).toMatch(/^in use +[\d.]+ MB {2}[▁▂▃▄▅▆▇█]{10,}$/);
    expect(text[3]).toMatch(/^free +[\d.]+ [KM]B {2}[▁▂▃▄▅▆▇█]{10,}$/);
    expect(text[4]).toMatch(/^V8 heap +[\d.]+ MB {2}[▁▂▃▄▅▆▇█]{10,}$/);
    expect(text[5]).toMatch(/^verdict {3}\S/);
    for (const line of text) expect([...line].length).toBeLessThanOrEqual(COLUMNS);
    // A leak: in use climbs, so its sparkline ends at the top.
    expect(text[2].endsWith('█')).toBe(true);
    // The program's own output went out between frames, not inside one.
    expect(frames.some((f) => f.split(`${ESC}8`)[0].includes('{"pid"'))).toBe(false);
    expect(screen.slice(0, end)).toContain('{"pid"');
    // After the panel: the summary.
    expect(screen.slice(end)).toMatch(/mallinfo: node .*leak\.mjs exited with code 0/);
  });

  it('in a pipe: one line per sample on stderr, stdout left to the command', () => {
    const out = spawnSync(process.execPath, [cliPath, 'run', '--interval', '100ms', '--', 'node', fixture('leak.mjs')], { cwd: root, encoding: 'utf8' });
    expect(out.status).toBe(0);
    const { pid } = firstJsonLine(out.stdout);
    expect(out.stdout).toMatch(new RegExp(`^\\{"pid":${pid}\\}\\n\\{"requests":\\d+,"leakedBytes":\\d+\\}\\n$`));
    const lines = out.stderr.split('\n').filter((l) => l.startsWith('mallinfo pid'));
    expect(lines.length).toBeGreaterThan(10);
    for (const line of lines) {
      expect(line).toMatch(new RegExp(`^mallinfo pid ${pid} \\+[\\d.]+ m?s: RSS [\\d.]+ MB · in use [\\d.]+ MB · free [\\d.]+ [KM]B · V8 heap [\\d.]+ MB · verdict \\S`));
    }
    expect(out.stderr).not.toContain(ESC);
  });
});
