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

describe('Channel.close', () => {
  it('emits nothing once closed: a process still connected after the grace is cut, and what it still sends is counted as late (issue 12 #7)', async () => {
    const channel = await Channel.open();
    const pid = 4343;
    const hello: RunEvent = { type: 'process', pid, ppid: 1, argv: ['node'], node: process.version, time: 1, allocator: null, allocatorEnv: {}, error: null, warning: null };
    let closed = false;
    const afterClose: RunEvent[] = [];
    const beforeClose: RunEvent[] = [];
    channel.on('record', (r) => (closed ? afterClose : beforeClose).push(r));
    // A detached grandchild that keeps sending after the command ended.
    const socket = connect(channel.path);
    socket.on('error', () => undefined);
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(formatRecord(hello));
    const sending = setInterval(() => socket.write(formatRecord({ type: 'gc', pid, time: 2 })), 1);
    await sleep(20);
    await channel.close(30);
    closed = true;
    await sleep(100);
    clearInterval(sending);
    socket.destroy();
    expect(beforeClose[0]).toEqual(hello);
    expect(afterClose).toEqual([]);
    expect(channel.late).toBeGreaterThanOrEqual(1);
  });
});
