// What grew, as pprof: the file opens in `go tool pprof` and in the
// pprof-format decoder, and both put the known cause on top.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HeapAttribution, allocationPprof, attributionPprof } from '../lib/attribution.js';
import { scratchDir } from './cli-helpers';
import { decodedFlat, goPprofTop } from './pprof-consumers';

const kept: Uint8Array[] = [];
const closures: (() => number)[] = [];

function keepViews(): void {
  for (let i = 0; i < 200; i++) kept.push(new Uint8Array(new ArrayBuffer(64 * 1024)).subarray(0, 4));
}

function keepClosures(): void {
  for (let i = 0; i < 20_000; i++) {
    const payload = { i };
    closures.push(() => payload.i);
  }
}

describe('attributionPprof', () => {
  it('ArrayBuffers kept through views: go tool pprof and pprof-format agree that ArrayBuffer is the top entry', () => {
    const attribution = HeapAttribution.start();
    keepViews();
    const report = attribution.report();
    attribution.stop();
    const file = join(scratchDir(), 'views.pb.gz');
    writeFileSync(file, attributionPprof(report));
    const go = goPprofTop(file, 'space');
    const decoded = decodedFlat(file, 'space');
    expect(decoded[0].name).toBe('ArrayBuffer');
    expect(go.name).toBe(decoded[0].name);
    // go prints MB with two decimals: the same figure.
    expect(go.flat).toBe(`${(decoded[0].flat / 2 ** 20).toFixed(2)}MB`);
    expect(decoded[0].flat).toBeGreaterThanOrEqual(195 * 64 * 1024);
    expect(goPprofTop(file, 'objects').name).toBe(decodedFlat(file, 'objects')[0].name);
    kept.length = 0;
  });

  it('closures kept in an array: both name the closure and its line as the top entry; the allocation profile names the allocating function', () => {
    const attribution = HeapAttribution.start();
    keepClosures();
    const report = attribution.report();
    attribution.stop();
    const dir = scratchDir();
    const grew = join(dir, 'closures.pb.gz');
    writeFileSync(grew, attributionPprof(report));
    const decoded = decodedFlat(grew, 'space');
    // Under vitest on Node 22 and later, this file's scripts carry no location V8 resolves; the CLI
    // tests over real files (attribution.test.ts) check the location on every Node version.
    const located = Number(process.versions.node.split('.')[0]) < 22;
    expect(decoded[0].name).toMatch(located ? /^closure \(anonymous\) .*attribution-pprof\.test\.ts:\d+$/ : /^closure \(anonymous\)/);
    expect(goPprofTop(grew, 'space').name).toBe(decoded[0].name);
    const allocated = join(dir, 'allocated.pb.gz');
    writeFileSync(allocated, allocationPprof(report));
    const sites = decodedFlat(allocated, 'space');
    expect(sites[0].name).toBe('keepClosures');
    expect(goPprofTop(allocated, 'space').name).toBe('keepClosures');
    closures.length = 0;
  });
});
