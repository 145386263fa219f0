import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { root } from '../helpers';

// The process sees no /proc: a private mount namespace with an empty tmpfs
// mounted over it (needs root and util-linux's unshare, as CI has).
function withoutProc(code: string): { status: number | null; stdout: string; stderr: string } {
  const script = `mount -t tmpfs none /proc && exec "$0" -e "$1"`;
  const result = spawnSync('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', script, process.execPath, code], {
    cwd: root,
    encoding: 'utf8',
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('faults', () => {
  it('/proc unreadable: sample() still works with process null; trimSync refuses before trimming; nothing crashes', () => {
    const r = withoutProc(`
      const m = require('mallinfo');
      const s = m.sample();
      let trim;
      try { m.trimSync(); trim = 'trimmed'; } catch (e) { trim = e.name + ': ' + e.message; }
      const sampler = new m.Sampler({ intervalMs: 5, unref: false }).start();
      sampler.once('sample', (x) => {
        sampler.stop();
        console.log(JSON.stringify({ process: s.process, heap: s.heap !== null, v8: s.v8.used > 0, trim, samplerProcess: x.process }));
      });
    `);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout.trim());
    expect(out).toEqual({
      process: null,
      heap: true,
      v8: true,
      trim: 'UnsupportedError: cannot read /proc/self/statm to measure the trim',
      samplerProcess: null,
    });
  });
});
