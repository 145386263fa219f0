// diagnose() where memory JavaScript keeps lies outside malloc (WebAssembly
// memories, Buffers from a native addon's own allocator such as Rust's
// mimalloc): in V8's external memory and RSS, in none of malloc's counts.
// Synthetic series whose truth is known by construction; the real one is in
// sampler-collect.test.ts (test/fixtures/collect-every.mjs outside-malloc-leak).
import { describe, expect, it } from 'vitest';
import { diagnose, type Collection, type MemorySample } from 'mallinfo';
import { MiB, syntheticHeap } from './helpers';

const START = 1.7e12;
const SHARED = 40 * MiB;
const PHYSICAL = 8 * MiB;

interface Point {
  inUse: number;
  external: number;
  /** Memory outside malloc and V8's heap, in RSS. */
  outside?: number;
  free?: number;
  /** Of `free`, bytes not resident (a trim's, or never written since the heap grew). */
  freeNotResident?: number;
  /** V8's physical heap size (default PHYSICAL); `v8Resident` what of V8's heap is resident (default the same). */
  physical?: number;
  v8Resident?: number;
}

/** One sample a second; RSS is what in-use, malloc's free bytes, V8's heap and `outside` make. */
function samples(n: number, point: (i: number) => Point): MemorySample[] {
  return Array.from({ length: n }, (_, i) => {
    const p = point(i);
    const free = p.free ?? MiB;
    const physical = p.physical ?? PHYSICAL;
    const resident = SHARED + (p.v8Resident ?? physical) + p.inUse + free - (p.freeNotResident ?? 0) + (p.outside ?? 0);
    return {
      time: START + i * 1000,
      costNs: 2000,
      heap: syntheticHeap(p.inUse, free),
      process: { virtual: 1024 * MiB, resident, shared: SHARED, text: 80 * MiB, data: resident },
      v8: { total: 12 * MiB, used: 5 * MiB, physical, external: p.external, malloced: 256 * 1024, limit: 4096 * MiB },
    };
  });
}

/** A forced collection after every second sample, reading `at(i)`. */
function forced(list: MemorySample[], at: (i: number) => Partial<Collection>): Collection[] {
  return list.flatMap((s, i) =>
    i % 2 === 1 ? [{ time: s.time + 5, kind: 'major' as const, durationMs: 4, v8Used: s.v8.used, inUse: s.heap!.inUse, forced: true as const, ...at(i) }] : [],
  );
}

// 40 s of memory outside malloc rising 0.6 MB a second (36 MB/min) under 10 MB of in-use, level.
const leaking = (i: number): Point => ({ inUse: 10 * MiB, external: 2 * MiB + i * 0.6 * MiB, outside: i * 0.6 * MiB });

describe('memory JavaScript keeps outside malloc', () => {
  it("is a native leak judged by V8's external memory, where readings after forced collections show it above in-use", () => {
    const list = samples(40, leaking);
    const d = diagnose(list, { collections: forced(list, (i) => ({ v8External: leaking(i).external })) });
    expect(d.verdict, d.summary).toBe('native-leak');
    expect(d.evidence.nativeSeries).toBe('v8External');
    expect(d.summary).toMatch(/^Native memory is leaking: Buffers or ArrayBuffers kept by JavaScript, outside V8's heap; V8's external memory rose/);
    expect(d.summary).toMatch(/an allocator other than malloc holds that memory/);
    expect(d.advice.join(' ')).toMatch(/malloc_trim and the allocator settings do not reach it/);
    expect(d.evidence.notes.join(' ')).toMatch(/judged from V8's external memory/);
    // Nothing of it is malloc's free memory: no fragmentation, however far RSS stands above in-use.
    expect(d.evidence.findings.find((f) => f.kind === 'fragmentation')!.found).toBe(false);
    expect(d.evidence.unexplained!.idle).toBeLessThanOrEqual(MiB);
  });

  it("is judged by in-use where forced collections do not read V8's external memory, or read it below in-use", () => {
    // A leak malloc holds: in-use rises, and V8's count between collections stands above it (Buffers it has yet to count off).
    const inMalloc = (i: number): Point => ({ inUse: 10 * MiB + i * 0.6 * MiB, external: 12 * MiB + i * 1.2 * MiB });
    const list = samples(40, inMalloc);
    // Records from before external memory was read after forced collections.
    expect(diagnose(list, { collections: forced(list, () => ({})) }).evidence.nativeSeries).toBe('inUse');
    // Right after them, the count stays under in-use: malloc holds it all.
    const settled = diagnose(list, { collections: forced(list, (i) => ({ v8External: inMalloc(i).inUse - MiB })) });
    expect(settled.evidence.nativeSeries).toBe('inUse');
    expect(settled.verdict, settled.summary).toBe('native-leak');
  });

  it('is a native leak outside malloc where RSS rose beyond all that malloc and V8 count, with or without forced collections', () => {
    // V8 counts none of it as external (WebAssembly memories on Node 26): 0.6 MB a second in RSS alone.
    const inRss = (i: number): Point => ({ inUse: 10 * MiB, external: 2 * MiB, outside: i * 0.6 * MiB });
    const list = samples(40, inRss);
    for (const d of [diagnose(list), diagnose(list, { collections: forced(list, () => ({ v8External: 2 * MiB })) })]) {
      expect(d.verdict, d.summary).toBe('native-leak');
      expect(d.evidence.nativeSeries).toBe('outsideMalloc');
      // 0.6 MB a second from the first third's low (second 0, with 1 MB free allowed for) to the last's (second 26 of 39).
      expect(d.evidence.uncountedRise! / MiB).toBeCloseTo(26 * 0.6 - 1, 5);
      expect(d.summary).toMatch(/^Native memory is leaking outside malloc: RSS that neither V8's heap nor malloc counts \(in use or free\) rose .*about 36\.0 MB\/min, while malloc's in-use held level/);
      expect(d.summary).toMatch(/WebAssembly memories, a native addon's own allocator, worker threads' heaps or native mappings hold it/);
      expect(d.advice.join(' ')).toMatch(/pmap -x <pid>/);
      // Node 22 and 24's own growth there, and the way to tell it from the program's.
      expect(d.advice.join(' ')).toMatch(/node --no-page-promotion: if the rise stops, it is V8's/);
    }
    // With V8's external memory rising with it, passively too (Buffers from an addon's own allocator), and the words say so.
    const d = diagnose(samples(40, leaking));
    expect(d.verdict, d.summary).toBe('native-leak');
    expect(d.evidence.nativeSeries).toBe('outsideMalloc');
    expect(d.summary).toMatch(/V8's external memory grows with it: Buffers or ArrayBuffers kept by JavaScript hold it/);
    expect(d.summary).not.toMatch(/-\d/);
  });

  it('leaves a rise beyond all malloc and V8 count open, never stable, where its pace cannot yet be told from noise', () => {
    // 0.1 MB a second under up to 6 MB of noise: beyond every count, but the pace's interval reaches below a leak's.
    const d = diagnose(samples(40, (i) => ({ inUse: 10 * MiB, external: 2 * MiB, outside: i * 0.1 * MiB + ((i * 7919) % 13) * 0.5 * MiB })));
    expect(d.evidence.uncountedRise!).toBeGreaterThan(MiB);
    expect(d.verdict, d.summary).toBe('insufficient-data');
    expect(d.evidence.nativeSeries).toBe('outsideMalloc');
    expect(d.summary).toMatch(/^No verdict yet: RSS outside V8 and malloc \(neither in use nor free\) rose/);
  });

  it("is no leak where malloc's free pages become resident again, or V8's pages leave its count but not RSS", () => {
    // 12 of 20 MB free not resident early (a trim), all resident again by second 20: RSS outside in-use and free rises 12 MB.
    const written = (i: number): Point => ({ inUse: 10 * MiB, external: 2 * MiB, free: 20 * MiB, freeNotResident: Math.max(0, 12 - (12 * i) / 20) * MiB, outside: 12 * MiB });
    // V8's physical size falls 35 → 25 MB while its pages stay resident (a steady express service's, in the corpus).
    const uncounted = (i: number): Point => ({ inUse: 10 * MiB, external: 2 * MiB, physical: (35 - Math.min(i, 20) / 2) * MiB, v8Resident: 35 * MiB });
    for (const point of [written, uncounted]) {
      const d = diagnose(samples(40, point));
      expect(d.evidence.outsideMalloc!.held.rise).toBeGreaterThan(8 * MiB);
      expect(d.evidence.uncountedRise!).toBeLessThanOrEqual(0);
      expect(d.verdict, d.summary).toBe('stable');
      expect(d.evidence.nativeSeries).toBe('inUse');
    }
  });

  it('without forced collections, leaves a rise within malloc\'s free bytes open where external memory rose with it', () => {
    // As `written`, with V8's external memory rising by a leak's size: Buffers not yet counted off, or kept by an addon's allocator?
    const d = diagnose(
      samples(40, (i) => ({ inUse: 10 * MiB, external: 2 * MiB + i * 0.3 * MiB, free: 20 * MiB, freeNotResident: Math.max(0, 12 - (12 * i) / 30) * MiB, outside: 12 * MiB })),
    );
    expect(d.evidence.uncountedRise!).toBeLessThan(MiB);
    expect(d.verdict, d.summary).toBe('insufficient-data');
    expect(d.evidence.nativeSeries).toBe('outsideMalloc');
    expect(d.summary).toMatch(/only readings after full collections can tell/);
    expect(d.summary).not.toMatch(/-\d/);
  });

  it('leaves a steady program stable when only its RSS warms up, without external memory rising', () => {
    // RSS beyond in-use and free warms up 3 MB early (thread stacks, code) and holds: levelled, no external memory with it.
    const list = samples(40, (i) => ({ inUse: 10 * MiB, external: 2 * MiB, outside: Math.min(i, 10) * 0.3 * MiB }));
    const d = diagnose(list);
    expect(d.verdict, d.summary).toBe('stable');
    expect(d.evidence.nativeSeries).toBe('inUse');
  });
});

describe('fragmentation counts only what malloc holds free', () => {
  it('does not take resident memory outside malloc for freed memory kept', () => {
    // 60 MB in RSS beyond in-use that malloc does not count as free (1 MB free): not malloc's to keep or return.
    const list = samples(40, () => ({ inUse: 10 * MiB, external: 2 * MiB, outside: 60 * MiB }));
    const d = diagnose(list);
    expect(d.evidence.unexplained!.idle).toBeLessThanOrEqual(MiB);
    expect(d.verdict).not.toBe('fragmentation');
    // The same RSS with malloc holding the 60 MB free: fragmentation.
    const kept = diagnose(samples(40, () => ({ inUse: 10 * MiB, external: 2 * MiB, free: 61 * MiB })));
    expect(kept.verdict, kept.summary).toBe('fragmentation');
  });
});
