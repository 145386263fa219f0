// The verdict end to end: `mallinfo run` over the fragmentation story and
// over a leak, as a user runs them, with diagnose() judging the samples the
// preload sent from the watched process.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expectFragmentationStory, firstJsonLine, fixture, lastJsonLine, readRecords, runCli, scratchDir } from './cli-helpers';
import { MiB, root } from './helpers';

const dir = scratchDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.concurrent('mallinfo run: the verdict', () => {
  it('calls the story (examples/burst-service.mjs) fragmentation: in use flat and small, RSS and free high', async () => {
    const ndjson = join(dir, 'story.ndjson');
    const result = await runCli(['run', '--interval', '50ms', '--ndjson', ndjson, '--', 'node', join(root, 'examples', 'burst-service.mjs')], {
      // Fragmentation is judged over the window's last third: the quiet after the bursts must
      // cover it even when a loaded machine stretches the bursts from ~3 s to ~16 s (seen in CI).
      env: { BURSTS: '8', EVERY_MS: '250', QUIET_MS: '12000' },
      // Up to ~16 s of bursts and 12 s of quiet: more than runCli's default 30 s on a loaded machine.
      timeoutMs: 55_000,
    });
    expect(result.code).toBe(0);
    expect(result.stdout.toString()).toMatch(/^burst 8\/8: 10,000 × 50 KB Buffers allocated, 100 kept until the next burst$/m);
    // The same verdict from the saved file.
    const report = await runCli(['report', ndjson, '--json']);
    const diagnosis = lastJsonLine(report.stdout).diagnosis;
    expectFragmentationStory(diagnosis);
    expect(result.stderr).toMatch(new RegExp(`^ {2}verdict: ${diagnosis.verdict}, confidence \\d+ %$`, 'm'));
    if (diagnosis.verdict === 'fragmentation') {
      // "not a leak" only when nothing else is open: V8's heap may rise by ~1 MB in the quiet
      // seconds after the bursts with no collection yet to say whether it is garbage.
      expect(result.stderr).toMatch(/^ {4}Fragmentation(, not a leak)?: [\d.]+ MB of freed memory stayed resident and unused/m);
      expect(result.stderr).toMatch(/^ {2}advice:\n {4}• A trim would give back about [\d.]+ MB now, and it would stay returned/m);
    }
    // The numbers behind it, from the samples themselves: ~500 MB resident, a few MB in use.
    const last = readRecords(ndjson).filter((r) => r.type === 'sample').at(-1)!.sample;
    expect(last.process.resident).toBeGreaterThan(400 * MiB);
    expect(last.heap.inUse).toBeLessThan(20 * MiB);
    expect(last.heap.free).toBeGreaterThan(400 * MiB);
  });

  it('calls a program that keeps a Buffer per request a native leak', async () => {
    // Passive (V8's own collections only): 2.7 s leave room for two or three of the Sampler's own, too few for a pace.
    const result = await runCli(['run', '--quiet', '--json', '--interval', '100ms', '--collect-every', 'off', '--', 'node', fixture('leak.mjs')]);
    expect(result.code).toBe(0);
    const summary = lastJsonLine(result.stdout);
    expect(summary.primary.pid).toBe(firstJsonLine(result.stdout).pid);
    expect(summary.diagnosis).toMatchObject({ verdict: 'native-leak', summary: expect.stringMatching(/^Native memory is leaking: /) });
    expect(summary.diagnosis.confidence).toBeGreaterThan(0.5);
    // diagnose() saw the process's full garbage collections, sent over the channel as they happened.
    expect(summary.diagnosis.evidence.fullGcs).not.toBeNull();
  });

  it('with --collect-every, judges by readings after its own full collections: a JS leak under its garbage in 7 s', async () => {
    const ndjson = join(dir, 'collect.ndjson');
    // Objects kept (~3 MB over the run) under a thousand times as many made and dropped; then
    // 0.6 s kept as they are, so that one of the Sampler's collections follows the last growth
    // (on a loaded machine the last one once came too early to confirm it: no verdict yet).
    const program =
      'const kept = []; let i = 0; const t = setInterval(() => { for (let k = 0; k < 20; k++) kept.push({ s: `x${i++}`.padEnd(40, "x") }); ' +
      'for (let k = 0; k < 2000; k++) globalThis.g = { k, s: `y${k}` }; }, 10); setTimeout(() => clearInterval(t), 7000); setTimeout(() => {}, 7600);';
    const result = await runCli(['run', '--quiet', '--json', '--interval', '250ms', '--collect-every', '500ms', '--ndjson', ndjson, '--', 'node', '-e', program]);
    expect(result.code).toBe(0);
    const { diagnosis } = lastJsonLine(result.stdout);
    expect(diagnosis.verdict, diagnosis.summary).toBe('v8-leak');
    expect(diagnosis.evidence.notes.join(' ')).toMatch(/full collections run by the Sampler/);
    const forced = readRecords(ndjson).filter((r) => r.type === 'gc' && r.forced === true);
    // Every 500 ms while their pauses stay under 5 % of the time: fewer when a loaded machine makes them longer.
    expect(forced.length).toBeGreaterThanOrEqual(3);
    expect(forced[0]).toMatchObject({ kind: 'major', forced: true, v8Used: expect.any(Number), inUse: expect.any(Number) });
    // The saved file gives the same verdict.
    const report = await runCli(['report', ndjson, '--json']);
    expect(lastJsonLine(report.stdout).diagnosis.verdict).toBe('v8-leak');
  });

  it('collects every second by default, and not with --collect-every off', async () => {
    const forcedIn = async (extra: string[], name: string): Promise<number> => {
      const ndjson = join(dir, name);
      const result = await runCli(['run', '--quiet', '--interval', '250ms', ...extra, '--ndjson', ndjson, '--', 'node', '-e', 'setTimeout(() => {}, 5000)']);
      expect(result.code).toBe(0);
      return readRecords(ndjson).filter((r) => r.type === 'gc' && r.forced === true).length;
    };
    const [byDefault, off] = await Promise.all([forcedIn([], 'default.ndjson'), forcedIn(['--collect-every', 'off'], 'off.ndjson')]);
    // ~5 in 5 s (a busy machine's timers run late, never early by more than 10 %; on two
    // cores running three suites, the first sample came ~1.5 s late and 3.5 s held only 1).
    expect(byDefault).toBeGreaterThanOrEqual(2);
    expect(byDefault).toBeLessThanOrEqual(7);
    expect(off).toBe(0);
  });

  it('gives no verdict yet for a program too short to judge, and says what it needs', async () => {
    const result = await runCli(['run', '--quiet', '--json', '--', 'node', fixture('hello.cjs')]);
    expect(result.code).toBe(0);
    const { diagnosis } = lastJsonLine(result.stdout);
    expect(diagnosis).toMatchObject({ verdict: 'insufficient-data', confidence: 0 });
    expect(diagnosis.summary).toMatch(/^No verdict yet: \d samples over [\d.]+ m?s; a verdict needs at least 20 samples/);
  });
});
