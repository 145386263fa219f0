// What `mallinfo attach` reads before touching a target: where its inspector
// would listen (from Node's options as Node reads them), the sockets it
// listens on (from /proc, checked against the sockets this test opens),
// and the attach command line.
import { createServer, type AddressInfo, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { inspectAddressOf, inspectTarget, nodeOptionsOf, ownListeningSockets } from '../lib/cli/attach-target.js';
import { parseAttach } from '../lib/cli/attach-args.js';

const servers: Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

function listen(host: string): Promise<number> {
  const server = createServer();
  servers.push(server);
  return new Promise((resolve) => server.listen(0, host, () => resolve((server.address() as AddressInfo).port)));
}

describe('where SIGUSR1 opens the inspector', () => {
  it.each([
    [[], { host: '127.0.0.1', port: 9229, openAtStart: false, publishesHttp: true }],
    [['--inspect-port=9333'], { host: '127.0.0.1', port: 9333, openAtStart: false, publishesHttp: true }],
    [['--inspect-port', '9334'], { host: '127.0.0.1', port: 9334, openAtStart: false, publishesHttp: true }],
    [['--debug-port=0.0.0.0:9335'], { host: '0.0.0.0', port: 9335, openAtStart: false, publishesHttp: true }],
    [['--inspect-port=[::1]:9336'], { host: '::1', port: 9336, openAtStart: false, publishesHttp: true }],
    [['--inspect'], { host: '127.0.0.1', port: 9229, openAtStart: true, publishesHttp: true }],
    [['--inspect=localhost'], { host: 'localhost', port: 9229, openAtStart: true, publishesHttp: true }],
    [['--inspect-brk=9337', '--inspect-port=9338'], { host: '127.0.0.1', port: 9338, openAtStart: true, publishesHttp: true }],
    [['--inspect-publish-uid=stderr'], { host: '127.0.0.1', port: 9229, openAtStart: false, publishesHttp: false }],
    [['--inspect-publish-uid=stderr,http'], { host: '127.0.0.1', port: 9229, openAtStart: false, publishesHttp: true }],
  ])('%j → %j', (options, expected) => {
    expect(inspectAddressOf(options)).toEqual(expected);
  });

  it('reads Node options up to the script, values of -r and friends included, not the script\'s own', () => {
    expect(nodeOptionsOf(['node', '-r', './trace.js', '--inspect-port=9400', 'server.js', '--inspect-port=1'])).toEqual(['-r', './trace.js', '--inspect-port=9400']);
    expect(nodeOptionsOf(['node', '--', '--inspect-port=1'])).toEqual([]);
  });

  it('reads this very process: its executable and its argv as /proc has them', () => {
    const info = inspectTarget(process.pid);
    expect(info.exe).toBe(process.execPath);
    // /proc/PID/cmdline holds node's own options too; the script and its arguments end it.
    expect(info.argv.slice(-(process.argv.length - 1))).toEqual(process.argv.slice(1));
  });
});

describe('the sockets a process listens on, from /proc', () => {
  it('finds this process\'s own IPv4 and IPv6 loopback listeners, with their ports', async () => {
    const v4 = await listen('127.0.0.1');
    const v6 = await listen('::1');
    const own = ownListeningSockets(process.pid);
    expect(own).toContainEqual(expect.objectContaining({ address: '127.0.0.1', port: v4 }));
    expect(own).toContainEqual(expect.objectContaining({ address: '::1', port: v6 }));
  });
});

describe('the attach command line', () => {
  it('parses the pid and options, with the defaults of the issue', () => {
    expect(parseAttach(['1234'])).toEqual({ pid: 1234, durationMs: 30_000, intervalMs: 1000, collectEveryMs: null, trim: false, once: false, ndjson: undefined, html: undefined, quiet: false, json: false });
    expect(parseAttach(['--duration', '5s', '--interval=200ms', '--trim', '7', '--json'])).toMatchObject({ pid: 7, durationMs: 5000, intervalMs: 200, trim: true, json: true });
    expect(parseAttach(['7', '--collect-every', '2s'])).toMatchObject({ pid: 7, collectEveryMs: 2000 });
    expect(parseAttach(['7', '--collect-every', 'off'])).toMatchObject({ pid: 7, collectEveryMs: null });
  });

  it.each([
    [[], 'attach takes one pid, got none'],
    [['1', '2'], 'attach takes one pid, got 1 2'],
    [['0'], 'the pid must be a positive integer, got "0"'],
    [['-5'], "Unknown option '-5'"],
    [['12', '--duration', '5'], '--duration must be a duration from 10ms'],
    [['12', '--once', '--trim'], '--once takes one reading: --trim does not go with it'],
    [['12', '--once', '--collect-every', '1s'], '--once takes one reading: --collect-every does not go with it'],
    [['12', '--auto-trim'], '--auto-trim is for run; attach has --trim'],
  ])('attach %j is a usage error: %s', (argv, message) => {
    // By name: vitest loads lib/cli/args.js for this file apart from the copy attach-args.js requires.
    expect(() => parseAttach(argv)).toThrow(expect.objectContaining({ name: 'UsageError', message: expect.stringContaining(message) }));
  });
});
