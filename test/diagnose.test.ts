// diagnose() on synthetic series whose truth is known by construction; the
// real workloads are in scenarios.test.ts.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { diagnose, type MemorySample } from 'mallinfo';
import { thresholdScore } from '../lib/diagnose/findings.js';
import { MiB, root, syntheticHeap } from './helpers';

interface Point {
  inUse: number;
  free?: number;
  resident?: number;
  used?: number;
  physical?: number;
}

const START = 1.7e12;
const SHARED = 40 * MiB;

/** Samples one `intervalMs` apart; `point(i)` gives sample i's numbers (RSS defaults to what in-use, free and V8 explain). */
function samples(n: number, point: (i: number) => Point, intervalMs = 1000, heap = true): MemorySample[] {
  return Array.from({ length: n }, (_, i) => {
    const p = point(i);
    const free = p.free ?? MiB;
    const physical = p.physical ?? 8 * MiB;
    const used = p.used ?? 5 * MiB;
    const resident = p.resident ?? SHARED + p.inUse + physical + MiB;
    return {
      time: START + i * intervalMs,
      costNs: 2000,
      heap: heap ? syntheticHeap(p.inUse, free) : null,
      process: { virtual: 1024 * MiB, resident, shared: SHARED, text: 80 * MiB, data: resident },
      v8: { total: 12 * MiB, used, physical, external: MiB, malloced: 256 * 1024, limit: 4096 * MiB },
    };
  });
}

/** A sawtooth of `period` samples rising `amplitude` above `floor(i)`; V8's used heap falls (a GC) at every trough. */
const saw = (i: number, period: number, amplitude: number, floor: number): number => floor + (amplitude * (i % period)) / period;
const gcEvery = (period: number) => (i: number): number => 5 * MiB + (i % period) * 64 * 1024;

describe('diagnose() input', () => {
  it('rejects what is not an array of samples, naming the culprit', () => {
    expect(() => diagnose('x' as never)).toThrow(TypeError);
    expect(() => diagnose('x' as never)).toThrow(/^samples must be an array/);
    const list = samples(5, () => ({ inUse: MiB }));
    expect(() => diagnose([...list, { time: 'now' } as never])).toThrow(/^samples\[5\] must be a MemorySample/);
    expect(() => diagnose([null as never])).toThrow(TypeError);
  });

  // Issue 12 #10: NaN fields once gave an uncoded TypeError from the findings, or a stable verdict.
  it('rejects a sample with a field that is not a finite number, naming the sample and the field', () => {
    const fields: [string, (s: MemorySample, bad: number) => void][] = [
      ['time', (s, bad) => void (s.time = bad)],
      ['v8.used', (s, bad) => void (s.v8.used = bad)],
      ['v8.physical', (s, bad) => void (s.v8.physical = bad)],
      ['v8.external', (s, bad) => void (s.v8.external = bad)],
      ['heap.inUse', (s, bad) => void (s.heap!.inUse = bad)],
      ['heap.free', (s, bad) => void (s.heap!.free = bad)],
      ['process.resident', (s, bad) => void (s.process!.resident = bad)],
      ['process.shared', (s, bad) => void (s.process!.shared = bad)],
    ];
    for (const [field, spoil] of fields) {
      for (const bad of [Number.NaN, Number.POSITIVE_INFINITY]) {
        const list = samples(30, () => ({ inUse: MiB }));
        spoil(list[2], bad);
        const error = (() => {
          try {
            diagnose(list);
          } catch (e) {
            return e as TypeError & { code?: string };
          }
          return null;
        })();
        expect(error, `${field} = ${bad}`).toBeInstanceOf(TypeError);
        expect(error!.code).toBe('ERR_INVALID_ARG_TYPE');
        expect(error!.message).toContain(`samples[2] must be a MemorySample (from sample() or a Sampler) (${field} must be a finite number)`);
      }
    }
  });

  // Issue 12 #11: the advice said "At one sample every 0.0 s" at 20 ms.
  it('says a short interval in milliseconds in its advice', () => {
    const d = diagnose(samples(5, () => ({ inUse: MiB }), 20));
    expect(d.verdict).toBe('insufficient-data');
    expect(d.advice.join(' ')).toMatch(/At one sample every 20 ms, that is about 1\.0 s\./);
  });

  it('validates every option by name', () => {
    const list = samples(3, () => ({ inUse: MiB }));
    expect(() => diagnose(list, { minSample: 3 } as never)).toThrow(/^options\.minSample must be one of the known options/);
    expect(() => diagnose(list, { minSamples: 2 })).toThrow(RangeError);
    expect(() => diagnose(list, { minSamples: 2 })).toThrow(/^options\.minSamples must be an integer >= 3, got 2/);
    expect(() => diagnose(list, { minDurationMs: -1 })).toThrow(/^options\.minDurationMs/);
    expect(() => diagnose(list, { leakMinBytes: 0.5 })).toThrow(/^options\.leakMinBytes/);
    expect(() => diagnose(list, { significance: 1 })).toThrow(/^options\.significance must be a number greater than 0 and less than 1, got 1/);
    expect(() => diagnose(list, { significance: '0.1' as never })).toThrow(TypeError);
    expect(() => diagnose(list, { fragmentationMinShare: 0 })).toThrow(RangeError);
    expect(() => diagnose(list, { fragmentationMinBytes: Number.NaN })).toThrow(/^options\.fragmentationMinBytes/);
    expect(() => diagnose(list, { maxPoints: 9 })).toThrow(/^options\.maxPoints must be an integer from 10 to 5000/);
    expect(() => diagnose(list, { fullGcTimes: [1, Number.NaN] })).toThrow(/^options\.fullGcTimes must be an array of times/);
    expect(() => diagnose(list, null as never)).toThrow(/^options must be an object/);
  });
});

describe('insufficient data', () => {
  it('gives no verdict below minSamples or minDurationMs, but shows the window and what it has', () => {
    const few = diagnose(samples(5, (i) => ({ inUse: MiB * (1 + i) })));
    expect(few.verdict).toBe('insufficient-data');
    expect(few.confidence).toBe(0);
    expect(few.evidence.window).toMatchObject({ samples: 5, start: START, end: START + 4000, durationMs: 4000, intervalMs: 1000 });
    expect(few.evidence.findings).toEqual([]);
    expect(few.evidence.inUse!.latest).toBe(5 * MiB);
    expect(few.advice.join(' ')).toMatch(/needs 20 samples over 1\.0 s/);
    expect(diagnose(samples(30, () => ({ inUse: MiB })), { minDurationMs: 60_000 }).verdict).toBe('insufficient-data');
    const none = diagnose([]);
    expect(none.evidence).toMatchObject({ window: { samples: 0, durationMs: 0 }, v8Used: null, inUse: null, heapStats: false });
  });
});

describe('leaks are told from floors, not from the first and last sample', () => {
  it('calls a level sawtooth stable even when the last sample is a peak 500 MB above the first', () => {
    // First sample at a trough, last at the top of a burst.
    const list = samples(99, (i) => ({ inUse: saw(i, 11, 500 * MiB, 10 * MiB), used: gcEvery(11)(i), free: 500 * MiB - saw(i, 11, 500 * MiB, 0) }));
    expect(list[98].heap!.inUse - list[0].heap!.inUse).toBeGreaterThan(450 * MiB);
    const d = diagnose(list, { fullGcTimes: [] });
    expect(d.evidence.findings.find((f) => f.kind === 'native-leak')!.found).toBe(false);
    expect(Math.abs(d.evidence.inUse!.floor.growth)).toBeLessThan(1024);
    expect(d.evidence.inUse!.floor.method).toBe('troughs');
    expect(d.evidence.inUse!.trend.slope).toBeGreaterThan(0); // what a fit through every sample would say
  });

  it('finds a slow native leak under a large sawtooth, with its rate per minute over a window of minutes', () => {
    const leakPerSecond = 2 * 1024; // 0.1 MB/min under 500 MB bursts
    const list = samples(600, (i) => ({ inUse: saw(i, 20, 500 * MiB, 10 * MiB + leakPerSecond * i), used: gcEvery(20)(i) }));
    const d = diagnose(list, { fullGcTimes: [] });
    expect(d.verdict).toBe('native-leak');
    expect(d.evidence.inUse!.floor.slope).toBeCloseTo(leakPerSecond, 0);
    expect(d.confidence).toBeGreaterThan(0.5);
    expect(d.summary).toMatch(/^Native memory is leaking/);
    expect(d.summary).toMatch(/about 0\.1 MB\/min/);
    expect(d.summary).not.toMatch(/hour/);
  });

  it('calls a plain rise with no fall at all a leak, more weakly without a full collection since', () => {
    const rising = (i: number): number => 10 * MiB + 50 * 1024 * i;
    const noGc = diagnose(samples(60, (i) => ({ inUse: rising(i), used: 5 * MiB + i * 1024 })));
    expect(noGc.evidence.gcs).toBe(0);
    expect(noGc.verdict).toBe('native-leak');
    expect(noGc.confidence).toBeLessThanOrEqual(0.6);
    const withGcs = diagnose(samples(60, (i) => ({ inUse: rising(i), used: gcEvery(6)(i) })), { fullGcTimes: [START + 50_000] });
    expect(withGcs.verdict).toBe('native-leak');
    expect(withGcs.confidence).toBeGreaterThan(noGc.confidence);
    expect(withGcs.summary).toMatch(/held through 1 full garbage collection/);
  });

  it('never calls a rise that did not come back stable: garbage that may yet be collected leaves no verdict', () => {
    // In-use climbs 8 MB and falls back 2 MB twice: it might be garbage, and no full collection ran since.
    const climb = (i: number): number => 10 * MiB + (i < 20 ? 0 : i < 40 ? 4 * MiB : 8 * MiB) + (i % 20) * 600 * 1024;
    const d = diagnose(samples(60, (i) => ({ inUse: climb(i), used: 5 * MiB })), { fullGcTimes: [] });
    expect(d.verdict).not.toBe('stable');
    expect(d.advice.join(' ')).not.toMatch(/Nothing to do/);
  });

  it('calls growth that levelled off (warm-up, a cache filled) stable, and says so', () => {
    const warm = (i: number): number => 10 * MiB + 20 * MiB * (1 - Math.exp(-i / 5));
    const d = diagnose(samples(90, (i) => ({ inUse: warm(i), used: gcEvery(6)(i) })), { fullGcTimes: [START + 30_000, START + 60_000, START + 85_000] });
    expect(d.verdict).toBe('stable');
    expect(d.evidence.findings.find((f) => f.kind === 'native-leak')!.state).toBe('levelled');
    expect(d.summary).toMatch(/held level/);
  });

  it('calls a series that rose early and then did not move at all levelled, however few samples it has', () => {
    // A cache warmed in the first 8 s, then an idle program: 24 samples, no collection after the warm-up. Too few
    // blocks for a pace's interval to say flat, but nothing rises under readings that do not move.
    const d = diagnose(samples(24, (i) => ({ inUse: 3 * MiB + Math.min(i, 8) * 800 * 1024 + (i % 3) * 1024, used: 5 * MiB })), { fullGcTimes: [] });
    expect(d.verdict, d.summary).toBe('stable');
    expect(d.evidence.findings.find((f) => f.kind === 'native-leak')!.state).toBe('levelled');
    // The same rise still going on through the last two thirds is no verdict yet, never stable.
    const rising = diagnose(samples(24, (i) => ({ inUse: 3 * MiB + i * 300 * 1024, used: 5 * MiB })), { fullGcTimes: [] });
    expect(rising.verdict).not.toBe('stable');
  });

  it('reports V8’s floor from its lows when no collection happened in the window, never 0', () => {
    const d = diagnose(samples(60, (i) => ({ inUse: 10 * MiB, used: 5 * MiB + i * 1024 })), { fullGcTimes: [] });
    expect(d.evidence.fullGcs).toBe(0);
    expect(d.evidence.v8Used!.floor.method).toBe('windows');
    expect(d.evidence.v8Used!.floor.end).toBeGreaterThan(5 * MiB);
    expect(d.summary).toMatch(/V8's heap to about 5\.\d MB/);
    expect(d.verdict).toBe('stable');
  });

  it('reads V8’s floor after full collections when their times are known', () => {
    // Old objects that die pile up between full GCs (every 10 s) and go at each; the live heap grows 100 KB/s.
    const creep = (i: number, live: number): number => live + (i % 10) * 512 * 1024;
    const fullGcTimes = Array.from({ length: 12 }, (_, k) => START + k * 10_000 - 1);
    const leaking = diagnose(samples(120, (i) => ({ inUse: 10 * MiB, used: creep(i, 5 * MiB + 100 * 1024 * i) })), { fullGcTimes });
    expect(leaking.verdict).toBe('v8-leak');
    expect(leaking.evidence.v8Used!.floor.method).toBe('full-gcs');
    expect(leaking.evidence.v8Used!.floor.slope).toBeCloseTo(100 * 1024, 0);
    expect(leaking.evidence.fullGcs).toBe(11); // the first is before the window
    expect(leaking.advice.join(' ')).toMatch(/heapsnapshot-signal/);
    expect(leaking.advice.join(' ')).toMatch(/writeHeapSnapshot/);
    const level = diagnose(samples(120, (i) => ({ inUse: 10 * MiB, used: creep(i, 5 * MiB) })), { fullGcTimes });
    expect(level.verdict).toBe('stable');
    // Without the times, the creep between full GCs is all there is to see.
    const blind = diagnose(samples(120, (i) => ({ inUse: 10 * MiB, used: creep(i, 5 * MiB + 100 * 1024 * i) })));
    expect(blind.evidence.v8Used!.floor.method).toBe('gcs');
    expect(blind.evidence.notes.join(' ')).toMatch(/Full garbage collection times unknown/);
    if (blind.verdict === 'v8-leak') expect(blind.confidence).toBeLessThanOrEqual(0.75);
  });

  it('reports the faster leak as the verdict and a comparable other as secondary', () => {
    const fullGcTimes = Array.from({ length: 20 }, (_, k) => START + k * 5000);
    // V8: a GC every 5 s, after which 100 KB/s more is live; in-use grows 200 KB/s.
    const both = samples(100, (i) => ({ inUse: 10 * MiB + 200 * 1024 * i, used: 5 * MiB + 100 * 1024 * i + (i % 5) * 300 * 1024 }));
    const d = diagnose(both, { fullGcTimes });
    expect(d.verdict).toBe('native-leak');
    expect(d.evidence.secondary.map((f) => f.kind)).toEqual(['v8-leak']);
  });
});

describe('fragmentation', () => {
  const period = 10;
  const held = 480 * MiB;
  // The story: bursts of 500 MB; in-use returns to 8 MB after each, glibc keeps what was freed resident.
  const burst = (i: number): Point => {
    const inUse = saw(i, period, 490 * MiB, 8 * MiB);
    const free = held + 8 * MiB - inUse > 0 ? held + 8 * MiB - inUse : MiB;
    return { inUse, free, used: gcEvery(period)(i), resident: SHARED + 8 * MiB + 8 * MiB + held };
  };
  // Three bursts, then quiet: the freed memory stays resident and unused.
  const quiet = (i: number): Point => (i < 3 * period ? burst(i) : { ...burst(0), used: 5 * MiB });
  const story = quiet;

  it('is the verdict when freed memory stays resident and unused for a long stretch (a third of the window or more), with what a trim gives back', () => {
    const d = diagnose(samples(101, story), { fullGcTimes: [] });
    expect(d.verdict).toBe('fragmentation');
    const u = d.evidence.unexplained!;
    expect(u.idle).toBeGreaterThan(400 * MiB);
    expect(u.idleShare).toBeGreaterThan(0.9);
    expect(u.idleForMs).toBeGreaterThanOrEqual(49_000);
    expect(u.trimEstimate).toBeGreaterThan(400 * MiB);
    expect(d.confidence).toBeGreaterThan(0.8);
    expect(d.summary).toMatch(/^Fragmentation, not a leak: \d+\.\d MB of freed memory stayed resident and unused for \d+ s/);
    expect(d.advice[0]).toMatch(/^A trim would give back about \d+\.\d MB now, and it would stay returned while in-use stays below/);
  });

  it('is not the verdict when every burst takes the free memory back (working-set headroom): trimming it would be undone', () => {
    const d = diagnose(samples(101, burst), { fullGcTimes: [] });
    expect(d.evidence.unexplained!.free).toBeGreaterThan(200 * MiB);
    expect(d.evidence.unexplained!.idle).toBeLessThan(32 * MiB);
    expect(d.verdict).toBe('stable');
    expect(d.advice.join(' ')).not.toMatch(/trim/);
  });

  it('is the verdict when RSS climbs over bursts whose in-use peaks do not', () => {
    // Malloc counts the growth as free (fordblks): RSS beyond malloc's in-use and free would be memory outside malloc.
    const climbing = (i: number): Point => {
      const inUse = saw(i, period, 300 * MiB, 8 * MiB);
      return { ...burst(i), inUse, free: 308 * MiB + 4 * MiB * i - inUse, resident: SHARED + 16 * MiB + 300 * MiB + 4 * MiB * i };
    };
    const d = diagnose(samples(100, climbing), { fullGcTimes: [] });
    expect(d.verdict).toBe('fragmentation');
  });

  it('stays the verdict after trims, while fordblks stays, and says trims already return it', () => {
    // Quiet after three bursts; trims at 61 and 81 return the pages (in-use and free unchanged).
    const low = SHARED + 16 * MiB + 2 * MiB;
    const trimmed = (i: number): Point => (i > 60 ? { ...story(i), resident: low + (i > 80 ? 0 : 2 * MiB) } : story(i));
    const d = diagnose(samples(120, trimmed), { fullGcTimes: [] });
    expect(d.verdict).toBe('fragmentation');
    expect(d.evidence.trims).toBe(1);
    expect(d.evidence.unexplained!.beforeTrim).toBe(true);
    expect(d.evidence.unexplained!.latest).toBeLessThanOrEqual(4 * MiB);
    expect(d.evidence.notes.join(' ')).toMatch(/trims/);
    expect(d.advice[0]).toMatch(/^Trims already return it/);
  });

  it('is not the verdict when freed memory is not resident and never was in the window', () => {
    const d = diagnose(samples(100, (i) => ({ ...story(i), resident: SHARED + 16 * MiB + story(i).inUse })), {
      fullGcTimes: [],
    });
    expect(d.evidence.unexplained!.free).toBeGreaterThan(400 * MiB);
    expect(d.verdict).toBe('stable');
  });

  it('is secondary to a leak that full collections confirm, and the verdict beside one none confirmed', () => {
    const leaking = (i: number): Point => ({ ...story(i), inUse: story(i).inUse + 100 * 1024 * i });
    const confirmed = diagnose(samples(200, leaking), { fullGcTimes: Array.from({ length: 20 }, (_, k) => START + k * 10_000 + 500) });
    expect(confirmed.verdict).toBe('native-leak');
    expect(confirmed.evidence.secondary.map((f) => f.kind)).toEqual(['fragmentation']);
    expect(confirmed.summary).toMatch(/Also fragmentation/);
    // No collection at all since the bursts: the rise may be garbage; the idle memory is sure.
    const unconfirmed = diagnose(samples(200, leaking), { fullGcTimes: [] });
    expect(unconfirmed.verdict).toBe('fragmentation');
    expect(unconfirmed.evidence.secondary.map((f) => f.kind)).toEqual(['native-leak']);
  });

  it('advice quotes the allocator settings glibc started with (allocator().settings)', async () => {
    // glibc reads them once, at start-up: a child process started with them.
    const script = `
      const { diagnose } = require('mallinfo');
      const samples = JSON.parse(require('fs').readFileSync(0, 'utf8'));
      console.log(JSON.stringify(diagnose(samples).advice));`;
    const run = async (settings: Record<string, string | undefined>): Promise<string> => {
      const env = { ...process.env, ...settings };
      for (const [name, value] of Object.entries(settings)) if (value === undefined) delete env[name];
      const child = spawn(process.execPath, ['-e', script], { cwd: root, env, stdio: ['pipe', 'pipe', 'inherit'] });
      child.stdin.end(JSON.stringify(samples(101, (i) => story(i))));
      let out = '';
      for await (const chunk of child.stdout) out += chunk;
      return (JSON.parse(out) as string[]).join('\n');
    };
    const set = await run({ MALLOC_ARENA_MAX: '3', GLIBC_TUNABLES: 'glibc.malloc.mmap_threshold=65536', LD_PRELOAD: undefined });
    expect(set).toMatch(/MALLOC_ARENA_MAX=2, or GLIBC_TUNABLES=glibc\.malloc\.arena_max=2/);
    expect(set).toMatch(/now at most 3 arenas \(set by MALLOC_ARENA_MAX\)/);
    expect(set).toMatch(/MALLOC_MMAP_THRESHOLD_=32768 .*now 65536 bytes \(set by glibc\.malloc\.mmap_threshold\)/);
    expect(set).toMatch(/LD_PRELOAD=libjemalloc\.so\.2 .*now LD_PRELOAD is not set, glibc serves malloc/);
    const unset = await run({ MALLOC_ARENA_MAX: undefined, GLIBC_TUNABLES: undefined, MALLOC_MMAP_THRESHOLD_: undefined });
    expect(unset).toMatch(/now at most \d+ arenas \(glibc's default\)/);
    expect(unset).toMatch(/now 131072 bytes \(glibc's default, raised by glibc up to 32 MiB/);
  });
});

describe('without allocator statistics (heap null)', () => {
  it('judges a native leak from RSS outside V8, with confidence at most 0.75 and a note', () => {
    const d = diagnose(samples(60, (i) => ({ inUse: 10 * MiB + 200 * 1024 * i, used: gcEvery(6)(i) }), 1000, false));
    expect(d.evidence.heapStats).toBe(false);
    expect(d.evidence.inUse).toBeNull();
    expect(d.evidence.unexplained).toBeNull();
    expect(d.verdict).toBe('native-leak');
    expect(d.confidence).toBeLessThanOrEqual(0.75);
    expect(d.evidence.notes[0]).toMatch(/^No allocator statistics/);
  });

  it('calls a level process stable, also capped', () => {
    const d = diagnose(samples(60, (i) => ({ inUse: 10 * MiB, used: gcEvery(6)(i) }), 1000, false));
    expect(d.verdict).toBe('stable');
    expect(d.confidence).toBeLessThanOrEqual(0.75);
  });
});

describe('confidence', () => {
  it('scores 0.5 at a threshold, towards 1 past it and 0 below', () => {
    expect(thresholdScore(1)).toBe(0.5);
    expect(thresholdScore(2)).toBe(0.75);
    expect(thresholdScore(10)).toBe(0.95);
    expect(thresholdScore(0.5)).toBe(0.25);
    expect(thresholdScore(0)).toBe(0);
    expect(thresholdScore(-3)).toBe(0);
    expect(thresholdScore(Number.NaN)).toBe(0);
  });

  it('is the weakest 1 − score for stable, and every finding is scored', () => {
    const d = diagnose(samples(60, () => ({ inUse: 10 * MiB, used: 5 * MiB })));
    expect(d.verdict).toBe('stable');
    expect(d.evidence.findings.map((f) => f.kind)).toEqual(['native-leak', 'v8-leak', 'fragmentation']);
    expect(d.confidence).toBeCloseTo(Math.min(...d.evidence.findings.map((f) => 1 - f.score)), 12);
  });

  it('does not depend on the order the samples come in', () => {
    const list = samples(100, (i) => ({ inUse: saw(i, 10, 100 * MiB, 10 * MiB + 50 * 1024 * i), used: gcEvery(10)(i) }));
    const shuffled = [...list].reverse();
    expect(diagnose(shuffled)).toEqual(diagnose(list));
  });
});

describe("the Sampler's own full collections (collectEveryMs)", () => {
  // In-use swings 0–60 MB above its floor with garbage that no collection V8
  // ran takes back in the window; every 3 s the Sampler collected and read the floor itself.
  const swinging = (floor: (i: number) => number) => samples(40, (i) => ({ inUse: floor(i) + ((i * 7919) % 13) * 5 * MiB }));
  const forcedAt = (list: MemorySample[], floor: (i: number) => number, every = 3) =>
    list.flatMap((s, i) => (i % every === 1 % every ? [{ time: s.time, kind: 'major' as const, durationMs: 4, v8Used: s.v8.used, inUse: floor(i), forced: true as const }] : []));

  it('takes the readings after them as the floors: a level floor under large swings is stable', () => {
    const floor = (): number => 10 * MiB;
    const list = swinging(floor);
    const d = diagnose(list, { collections: forcedAt(list, floor) });
    expect(d.verdict).toBe('stable');
    expect(d.evidence.notes.join(' ')).toMatch(/13 full collections run by the Sampler/);
    // Their pauses, 4 ms each: 52 ms of the 39 s window; with one untimed, no sum that counts it as 0.
    expect(d.evidence.notes.join(' ')).toMatch(/paused the program 52 ms in all \(0\.1 % of the window\)/);
    const untimed = forcedAt(list, floor).map((c, i) => (i === 0 ? { ...c, durationMs: null } : c));
    expect(diagnose(list, { collections: untimed }).evidence.notes.join(' ')).not.toMatch(/paused the program/);
  });

  it('and a floor rising 8 MB a minute under them is a native leak, confirmed', () => {
    const floor = (i: number): number => 10 * MiB + (i * 8 * MiB) / 60;
    const list = swinging(floor);
    const d = diagnose(list, { collections: forcedAt(list, floor) });
    expect(d.verdict).toBe('native-leak');
    expect(d.confidence).toBeGreaterThan(0.6);
  });

  it('calls a leak only when the whole 95 % interval of its pace is at a leak pace: the mirror of a flat claim', () => {
    // Readings of a floor rising 1.6 MiB over the 39 s window (just past leakMinBytes), scattered ±0.8 MiB.
    const floor = (perWindow: number, scatter: number) => (i: number): number => 10 * MiB + (i * perWindow * MiB) / 39 + (((i * 7919) % 7) - 3) * (scatter / 3) * MiB;
    const judge = (f: (i: number) => number) => {
      const list = swinging(f);
      return diagnose(list, { collections: forcedAt(list, f, 1) });
    };
    const unsure = judge(floor(1.6, 0.8));
    expect(unsure.verdict, unsure.summary).toBe('insufficient-data');
    expect(unsure.summary).toMatch(/its pace may still be under a leak's: its 95 % interval reaches down to 0\.\d MB\/min, and a leak verdict needs all of it at 1\.\d MB\/min or more/);
    // The same pace read without scatter, or four times as fast with it: a leak.
    expect(judge(floor(1.6, 0)).verdict).toBe('native-leak');
    expect(judge(floor(6, 0.8)).verdict).toBe('native-leak');
  });

  it('sees a leak through a working set the program holds for a while and drops (live, so in the readings too)', () => {
    // A pile of 0–7.5 MB of live Buffers, dropped every 6 s, over a floor rising 3 MB a minute.
    const floor = (i: number): number => 10 * MiB + (i * 3 * MiB) / 60;
    const live = (i: number): number => floor(i) + (i % 6) * 1.5 * MiB;
    const over = (n: number) => {
      const list = samples(n, (i) => ({ inUse: live(i) + ((i * 7919) % 13) * 2 * MiB }));
      return diagnose(list, { collections: forcedAt(list, live, 1) });
    };
    // Over 30 s the pile swings 5 times the rise, with too few troughs (4 in the last two thirds) for Sen's interval.
    expect(over(30).verdict).toBe('insufficient-data');
    // Over 60 s the lows of blocks still climb the pile's ramps (15 blocks of 4 s: one may hold no trough of a 6 s swing) and the
    // readings scatter by it, but the troughs it returns to (7 in the last two thirds) lie on the floor's line.
    const minute = over(60);
    expect(minute.verdict, minute.summary).toBe('native-leak');
    expect(minute.evidence.inUse!.held.lateTroughPace!.points).toBeGreaterThanOrEqual(6);
    const d = over(90);
    expect(d.verdict, d.summary).toBe('native-leak');
    expect(d.evidence.forcedCollections).toBe(90);
    // The same working set over a level floor: stable.
    const level = (i: number): number => 10 * MiB + (i % 6) * 1.5 * MiB;
    const flat = samples(60, (i) => ({ inUse: level(i) + ((i * 7919) % 13) * 2 * MiB }));
    expect(diagnose(flat, { collections: forcedAt(flat, level, 1) }).verdict).toBe('stable');
  });

  it('counts each of them once, not again for the two GCs V8 reports for it', () => {
    // As a Sampler records them: its own record, and V8's gc entries for the two GCs it ran, ending within its pause.
    const floor = (i: number): number => 10 * MiB + ((i * 7919) % 5) * 0.2 * MiB;
    const list = swinging(floor);
    const forced = forcedAt(list, floor, 1);
    const theirGcs = forced.flatMap((c) => [-3, 0].map((dt) => ({ ...c, time: c.time + dt, forced: undefined })));
    // And one full collection V8 chose to run, outside every pause: it counts.
    const v8Chose = { time: list[20].time + 500, kind: 'major' as const, durationMs: 6, v8Used: 5 * MiB, inUse: 30 * MiB };
    const once = diagnose(list, { collections: [...forced, v8Chose] });
    const reported = diagnose(list, { collections: [...theirGcs, v8Chose, ...forced] });
    expect(reported.evidence.notes.join(' ')).toMatch(/40 full collections run by the Sampler \(collectEveryMs\), 41 full collections in all/);
    expect(reported.evidence.fullGcs).toBe(41);
    // The same evidence: three records of one reading would have narrowed the pace's interval as if they were three readings.
    expect(reported.evidence.inUse).toEqual(once.evidence.inUse);
    expect(reported.verdict).toBe(once.verdict);
  });

  it("reads in-use after them only, not after V8's own full collections, whose dead Buffers V8's sweeper has not yet freed", () => {
    // 8 s at 250 ms, collecting every 500 ms, as test/fixtures/collect-every.mjs sawtooth: a working set of 2.4 MB from the first tick on, read
    // by the Sampler (creeping 0.1 MB); four of V8's own full collections late in the window read in-use 60–70 MB higher.
    const floor = (i: number): number => (i === 0 ? 7.6 * MiB : 10 * MiB + i * 4096);
    const list = samples(33, (i) => ({ inUse: floor(i) + ((i * 7919) % 13) * 2 * MiB }), 250);
    const forced = forcedAt(list, floor, 2);
    const v8Chose = [22, 26, 28, 30].map((i, k) => ({ time: list[i].time + 125, kind: 'major' as const, durationMs: 6, v8Used: 5 * MiB, inUse: (70 - 3 * k) * MiB }));
    const d = diagnose(list, { collections: [...forced, ...v8Chose] });
    expect(d.verdict, d.summary).toBe('stable');
    expect(d.evidence.fullGcs).toBe(forced.length + 4);
    // In-use's floors are the forced readings alone: the same as without V8's collections.
    expect(d.evidence.inUse).toEqual(diagnose(list, { collections: forced }).evidence.inUse);
  });

  it('refuses a collection whose forced is anything but true, naming it', () => {
    const list = samples(30, () => ({ inUse: 10 * MiB }));
    const c = { time: list[3].time, kind: 'major' as const, durationMs: 4, v8Used: 5 * MiB, inUse: 10 * MiB, forced: 'yes' };
    expect(() => diagnose(list, { collections: [c as never] })).toThrow(TypeError);
    expect(() => diagnose(list, { collections: [c as never] })).toThrow(/^options\.collections\[0\] must be a collection/);
  });

  it('needs 3 of them in the window before they alone are the floors', () => {
    const floor = (): number => 10 * MiB;
    const list = swinging(floor);
    const d = diagnose(list, { collections: forcedAt(list, floor, 20) });
    expect(d.evidence.notes.join(' ')).not.toMatch(/run by the Sampler/);
  });
});
