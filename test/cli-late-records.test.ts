// A process that outlives the command (a detached grandchild still
// sampling) is cut after the drain: what it still sends is dropped and
// counted, never written after the file's end record (issue 12 #7).
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readRecords, runCli, scratchDir } from './cli-helpers';

const dir = scratchDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('mallinfo run with a process that outlives the command', () => {
  it('ends the file with the end record and counts the dropped late records in the summary', async () => {
    const ndjson = join(dir, 'late.ndjson');
    const grandchild = `require('child_process').spawn(process.execPath, ['-e', 'setTimeout(() => {}, 3000)'], { detached: true, stdio: 'ignore' }).unref(); setTimeout(() => {}, 300)`;
    const result = await runCli(['run', '--quiet', '--interval', '20ms', '--ndjson', ndjson, '--', 'node', '-e', grandchild]);
    expect(result.stderr).not.toContain('ERR_STREAM_WRITE_AFTER_END');
    expect(result.code).toBe(0);
    const records = readRecords(ndjson);
    expect(records.at(-1)).toMatchObject({ type: 'end', exitCode: 0 });
    expect(records.filter((r) => r.type === 'process')).toHaveLength(2);
    expect(result.stderr).toMatch(/^ {2}dropped [1-9]\d* records? that came after the command ended$/m);
  });
});
