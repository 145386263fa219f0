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
}

/** One sample a second; RSS is what in-use, malloc's free bytes, V8's heap and `outside` make. */
function samples(n: number, point: (i: number) => Point): MemorySample[] {
  return Array.from({ length: n }, (_, i) => {
    const p = point(i);
    const free = p.free ?? MiB;
    const resident = SHARED + PHYSICAL + p.inUse + free + (p.outside ?? 0);
    return {
      time: START + i * 1000,
      costNs: 2000,
      heap: syntheticHeap(p.inUse, free),
      process: { virtual: 1024 * MiB, resident, shared: SHARED, text: 80 * MiB, data: resident },
      v8: { total: 12 * MiB, used: 5 * MiB, physical: PHYSICAL, external: p.external, malloced: 256 * 1024, limit: 4096 * MiB },
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
    const list = samples(40, leaking);
    // Records from before external memory was read after forced collections.
    expect(diagnose(list, { collections: forced(list, () => ({})) }).evidence.nativeSeries).toBe('inUse');
    // The count between collections rose (Buffers V8 has yet to count off), but right after them it stays under in-use: malloc holds it all.
    const settled = diagnose(list, { collections: forced(list, () => ({ v8External: 8 * MiB })) });
    expect(settled.evidence.nativeSeries).toBe('inUse');
  });

  it('is never called stable without forced collections: no verdict yet, saying why', () => {
    const d = diagnose(samples(40, leaking));
    expect(d.verdict, d.summary).toBe('insufficient-data');
    expect(d.evidence.nativeSeries).toBe('outsideMalloc');
    // The lows of the thirds 26 s apart, and the pace it rose at: 0.6 MB a second.
    expect(d.summary).toMatch(/^No verdict yet: RSS outside V8 and malloc \(neither in use nor free\) rose 15\.6 MB over 39 s .*about 36\.0 MB\/min/);
    expect(d.summary).toMatch(/only readings after full collections can tell/);
    // A size in the words, never a negative one.
    expect(d.summary).not.toMatch(/-\d/);
  });

  it('leaves a steady program stable when only its RSS warms up, without external memory rising', () => {
    // Malloc's free pages becoming resident again raise RSS beyond in-use and free: 3 MB early, no external memory with it.
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
