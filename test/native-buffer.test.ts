// The addon's sample buffer cannot be turned into a write to freed memory
// from JS: after the exported Float64Array is detached (transferred away)
// and its memory collected, fill() refuses instead of writing through a
// stale pointer (issue 12 #2: it used to abort in glibc's tcache check).
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { root } from './helpers';

describe('the sample buffer', () => {
  it('refuses to fill once JS has detached it, and leaves freed memory alone', () => {
    const child = spawnSync(process.execPath, ['test/fixtures/detach-buffer.cjs'], { cwd: root, encoding: 'utf8' });
    expect(child.stderr).toBe('');
    expect({ status: child.status, signal: child.signal }).toEqual({ status: 0, signal: null });
    const message = 'Error: the sample buffer was detached by JS (its ArrayBuffer transferred): no sample can be written into it';
    expect(JSON.parse(child.stdout)).toEqual({ fill: message, fillHeap: message, length: 0, kept: true });
  });
});
