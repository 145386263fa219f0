// A model of malloc_info documents for the property tests: fast-check
// arbitraries for the numbers, the document tree glibc would write for
// them, a renderer that varies what XML lets vary (whitespace, attribute
// order, quotes, self-closing tags, unknown extras), and mutations that
// each make the document malformed.
import fc from 'fast-check';
import type { ArenaStats, ChunkTotal, FreeBin, MallocInfo } from 'mallinfo';

export interface Node {
  name: string;
  attributes: [string, string][];
  /** null: a leaf, written as an empty element. */
  children: Node[] | null;
  /** glibc always writes it, and the parser must find it (exactly once where keyed). */
  required: boolean;
  /** Skipped by the parser: an element a later glibc might add. */
  unknown?: boolean;
}

const bytes = fc.oneof(fc.nat({ max: 4096 }), fc.nat(), fc.maxSafeNat());
const chunkTotal: fc.Arbitrary<ChunkTotal> = fc.record({ count: bytes, bytes });
const bin = (unsorted: boolean): fc.Arbitrary<FreeBin> =>
  fc.record({ unsorted: fc.constant(unsorted), from: bytes, to: bytes, total: bytes, count: bytes });

const arena: fc.Arbitrary<Omit<ArenaStats, 'index'>> = fc.record({
  system: fc.record({ current: bytes, max: bytes }),
  free: fc.record({ fast: chunkTotal, rest: chunkTotal }),
  aspace: fc.record({ total: bytes, mprotect: bytes, subheaps: fc.option(bytes, { nil: null }) }),
  bins: fc
    .tuple(fc.array(bin(false), { maxLength: 4 }), fc.option(bin(true), { nil: null }))
    .map(([sized, unsorted]) => (unsorted === null ? sized : [...sized, unsorted])),
});

/** Any numbers glibc could write, for 1–5 arenas. */
export const mallocInfoModel: fc.Arbitrary<MallocInfo> = fc.record({
  arenas: fc.array(arena, { minLength: 1, maxLength: 5 }).map((list) => list.map((a, index) => ({ index, ...a }))),
  totals: fc.record({
    free: fc.record({ fast: chunkTotal, rest: chunkTotal }),
    mmap: chunkTotal,
    system: fc.record({ current: bytes, max: bytes }),
    aspace: fc.record({ total: bytes, mprotect: bytes }),
  }),
});

const leaf = (name: string, attributes: [string, unknown][], required = true): Node => ({
  name,
  attributes: attributes.map(([k, v]) => [k, String(v)]),
  children: null,
  required,
});
const total = (type: string, t: ChunkTotal): Node => leaf('total', [['type', type], ['count', t.count], ['size', t.bytes]]);
const sized = (name: string, type: string, size: number): Node => leaf(name, [['type', type], ['size', size]]);

/** The element tree glibc writes for `model`, in glibc's order. */
export function toTree(model: MallocInfo): Node {
  const heaps = model.arenas.map((a): Node => {
    const bins = a.bins.map((b) =>
      leaf(b.unsorted ? 'unsorted' : 'size', [['from', b.from], ['to', b.to], ['total', b.total], ['count', b.count]], false),
    );
    const children: Node[] = [
      { name: 'sizes', attributes: [], children: bins, required: true },
      total('fast', a.free.fast),
      total('rest', a.free.rest),
      sized('system', 'current', a.system.current),
      sized('system', 'max', a.system.max),
      sized('aspace', 'total', a.aspace.total),
      sized('aspace', 'mprotect', a.aspace.mprotect),
    ];
    if (a.aspace.subheaps !== null) children.push({ ...sized('aspace', 'subheaps', a.aspace.subheaps), required: false });
    return { name: 'heap', attributes: [['nr', String(a.index)]], children, required: true };
  });
  const t = model.totals;
  return {
    name: 'malloc',
    attributes: [['version', '1']],
    required: true,
    children: [
      ...heaps,
      total('fast', t.free.fast),
      total('rest', t.free.rest),
      total('mmap', t.mmap),
      sized('system', 'current', t.system.current),
      sized('system', 'max', t.system.max),
      sized('aspace', 'total', t.aspace.total),
      sized('aspace', 'mprotect', t.aspace.mprotect),
    ],
  };
}

/** mulberry32: a small seeded generator, so that one seed fixes every layout choice. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Exactly what glibc writes (one element a line, `<size>` lines indented). */
export function renderGlibc(node: Node, indent = ''): string {
  const attrs = node.attributes.map(([k, v]) => ` ${k}="${v}"`).join('');
  if (node.children === null) return `${indent}<${node.name}${attrs}/>\n`;
  const inner = node.name === 'sizes' ? '  ' : '';
  return `<${node.name}${attrs}>\n${node.children.map((c) => renderGlibc(c, inner)).join('')}</${node.name}>\n`;
}

/**
 * The same document laid out differently, chosen by `seed`: whitespace
 * between tags and around "=", attribute order, quote style, `<x/>` or
 * `<x></x>`, and (with `extras`) unknown elements and attributes that the
 * parser must skip.
 */
export function renderVaried(root: Node, seed: number, extras: boolean): string {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
  const gaps = ['', '\n', ' ', '\t', '\r\n', '\n  ', '  \n\t'] as const;
  const render = (node: Node): string => {
    const attributes = [...node.attributes];
    if (extras && next() < 0.2) attributes.push(['future', 'x']);
    for (let i = attributes.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [attributes[i], attributes[j]] = [attributes[j], attributes[i]];
    }
    const attrs = attributes
      .map(([k, v]) => {
        const quote = pick(['"', "'"]);
        return `${pick([' ', '\n', '\t ', '  '])}${k}${pick(['=', ' = ', '=\n'])}${quote}${v}${quote}`;
      })
      .join('');
    const close = pick(['', ' ', '\n']);
    let children = node.children;
    if (children === null) {
      return next() < 0.5 ? `<${node.name}${attrs}${close}/>` : `<${node.name}${attrs}${close}>${pick(gaps)}</${node.name}${pick(['', ' '])}>`;
    }
    if (extras && next() < 0.3) {
      children = [...children, { name: 'future', attributes: [['type', 'x'], ['size', 'soon']], children: null, required: false }];
    }
    const inner = children.map((c) => pick(gaps) + render(c)).join('');
    return `<${node.name}${attrs}${close}>${inner}${pick(gaps)}</${node.name}${pick(['', ' ', '\n'])}>`;
  };
  return pick(gaps) + render(root) + pick(gaps);
}

/** Every node of the tree with its parent (null for the root). */
export function nodes(root: Node): { node: Node; parent: Node | null }[] {
  const out: { node: Node; parent: Node | null }[] = [];
  const walk = (node: Node, parent: Node | null): void => {
    out.push({ node, parent });
    for (const child of node.children ?? []) walk(child, node);
  };
  walk(root, null);
  return out;
}

export function clone(node: Node): Node {
  return { ...node, attributes: node.attributes.map(([k, v]) => [k, v]), children: node.children?.map(clone) ?? null };
}
