// The CLI's end of the channel over a real unix socket: records come
// through whole however the bytes are split on the way, a record with a
// "\r" between its tokens is one record, and a line cut off when its
// process dies counts as invalid, not as a record.
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { sample } from 'mallinfo';
import { Channel } from '../src/cli/channel';
import { formatRecord } from '../src/cli/ndjson';
import type { RunEvent } from '../src/cli/records';

describe('Channel', () => {
  it('reads records split anywhere (inside a UTF-8 character too), keeps a CR as whitespace, and counts a cut-off last line as invalid', async () => {
    const channel = await Channel.open();
    const records: RunEvent[] = [];
    const invalid: string[] = [];
    channel.on('record', (r) => records.push(r));
    channel.on('invalid', (reason) => invalid.push(reason));
    const pid = 4242;
    const hello: RunEvent = { type: 'process', pid, ppid: 1, argv: ['node', 'é😀.js'], node: process.version, time: 1, allocator: null, allocatorEnv: {}, error: null, warning: null };
    const samples: RunEvent[] = [1, 2, 3].map(() => ({ type: 'sample', pid, sample: sample() }));
    const gc = formatRecord({ type: 'gc', pid, time: 5 }).replace(',', ',\r');
    const bytes = Buffer.from([hello, ...samples].map(formatRecord).join('') + gc + formatRecord(samples[0]).slice(0, 30));

    const socket = connect(channel.path);
    await new Promise((resolve) => socket.once('connect', resolve));
    // Pieces of 1 to 97 bytes, each its own write, with pauses so that they arrive apart.
    for (let at = 0, size = 1; at < bytes.length; at += size, size = (size * 7) % 97 || 1) {
      socket.write(bytes.subarray(at, at + size));
      if (size % 5 === 0) await sleep(1);
    }
    socket.end();
    await new Promise((resolve) => socket.once('close', resolve));
    await channel.close(5000);

    expect(Buffer.from('é😀').length).toBe(6); // multi-byte characters: a split can fall inside them
    expect(records.map((r) => r.type)).toEqual(['process', 'sample', 'sample', 'sample', 'gc', 'exit']);
    expect(records[0]).toEqual(hello);
    expect(records.slice(1, 4)).toEqual(samples.map((s) => JSON.parse(JSON.stringify(s))));
    expect(invalid).toEqual([expect.stringMatching(/^not valid JSON/)]);
  });
});
