import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MallocInfoParseError, parseMallocInfo, sample } from 'mallinfo';
import { binding } from '../lib/core/native.js';
import { glibcHeap } from './helpers';
import { clone, mallocInfoModel, nodes, renderGlibc, renderVaried, toTree, type Node } from './malloc-info-model';

const NUMERIC = new Set(['nr', 'count', 'size', 'from', 'to', 'total']);

type TreeMutation = (root: Node, choice: number) => void;

/** Mutations of the tree, each of which makes the document malformed. */
const treeMutations: Record<string, TreeMutation> = {
  'drop a required element': (root, choice) => {
    const candidates = nodes(root).filter(({ node, parent }) => {
      if (!node.required || parent === null) return false;
      if (node.name !== 'heap') return true;
      const heaps = parent.children!.filter((c) => c.name === 'heap');
      return heaps.length === 1 || node !== heaps[heaps.length - 1]; // dropping the last of several heaps is valid
    });
    const { node, parent } = candidates[choice % candidates.length];
    parent!.children = parent!.children!.filter((c) => c !== node);
  },
  'repeat a required element': (root, choice) => {
    const candidates = nodes(root).filter(({ node, parent }) => node.required && parent !== null);
    const { node, parent } = candidates[choice % candidates.length];
    parent!.children!.splice(parent!.children!.indexOf(node), 0, clone(node));
  },
  'change a required type to one nobody knows': (root, choice) => {
    const candidates = nodes(root).filter(({ node }) => node.required && node.attributes.some(([k]) => k === 'type'));
    const { node } = candidates[choice % candidates.length];
    node.attributes = node.attributes.map(([k, v]) => [k, k === 'type' ? `${v}-renamed` : v]);
  },
  'drop a required attribute': (root, choice) => {
    const candidates = nodes(root).filter(({ node }) => node.attributes.length > 0);
    const { node } = candidates[choice % candidates.length];
    node.attributes.splice(Math.floor(choice / candidates.length) % node.attributes.length, 1);
  },
  'repeat an attribute': (root, choice) => {
    const candidates = nodes(root).filter(({ node }) => node.attributes.length > 0);
    const { node } = candidates[choice % candidates.length];
    node.attributes.push([...node.attributes[Math.floor(choice / candidates.length) % node.attributes.length]]);
  },
  'a number that is not a non-negative safe integer': (root, choice) => {
    const candidates = nodes(root).flatMap(({ node }) => node.attributes.filter(([k]) => NUMERIC.has(k) || k === 'version'));
    const attribute = candidates[choice % candidates.length];
    const bad = ['', '-1', '1.5', '0x10', ' 7', '7 ', '1e3', '9007199254740992', 'NaN', '١٢'];
    attribute[1] = bad[Math.floor(choice / candidates.length) % bad.length];
  },
  'rename the root': (root) => {
    root.name = 'mallocx';
  },
};

type TextMutation = (text: string, choice: number) => string;

const positions = (text: string, pattern: RegExp): number[] => [...text.matchAll(pattern)].map((m) => m.index!);

/** Mutations of the text, each of which makes the document malformed. */
const textMutations: Record<string, TextMutation> = {
  'truncate before the last ">"': (text, choice) => text.slice(0, choice % text.lastIndexOf('>')),
  'delete one markup character': (text, choice) => {
    const at = positions(text, /[<>"'=/]/g);
    const i = at[choice % at.length];
    return text.slice(0, i) + text.slice(i + 1);
  },
  'insert text after a tag': (text, choice) => {
    const at = positions(text, />/g);
    const i = at[choice % at.length] + 1;
    return `${text.slice(0, i)}x${text.slice(i)}`;
  },
  'close an element with another name': (text, choice) => {
    const at = positions(text, /<\//g);
    const i = at[choice % at.length] + 2;
    return `${text.slice(0, i)}q${text.slice(i)}`;
  },
};

describe('parseMallocInfo(): property tests', () => {
  it('reads back every number of any well-formed document, however it is laid out (10,000 cases)', () => {
    fc.assert(
      fc.property(mallocInfoModel, fc.integer(), fc.boolean(), fc.boolean(), (model, seed, glibcLayout, extras) => {
        const tree = toTree(model);
        const text = glibcLayout ? renderGlibc(tree) : renderVaried(tree, seed, extras);
        const parsed = parseMallocInfo(text);
        // isDeepStrictEqual first: vitest's toEqual costs as much as the parse.
        if (!isDeepStrictEqual(parsed, model)) expect(parsed).toEqual(model);
      }),
      { numRuns: 10_000 },
    );
  });

  it('rejects every mutated document with a MallocInfoParseError naming a line and column (10,000 cases)', () => {
    const kinds = [...Object.keys(treeMutations), ...Object.keys(textMutations)];
    fc.assert(
      fc.property(
        mallocInfoModel,
        fc.integer(),
        fc.boolean(),
        fc.constantFrom(...kinds),
        fc.nat(),
        (model, seed, glibcLayout, kind, choice) => {
          const tree = toTree(model);
          treeMutations[kind]?.(tree, choice);
          let text = glibcLayout ? renderGlibc(tree) : renderVaried(tree, seed, false);
          if (textMutations[kind] !== undefined) text = textMutations[kind](text, choice);
          let error: unknown;
          try {
            parseMallocInfo(text);
          } catch (e) {
            error = e;
          }
          expect(error, `${kind}:\n${text}`).toBeInstanceOf(MallocInfoParseError);
          const { line, column, message } = error as MallocInfoParseError;
          expect(message).toMatch(/^malloc_info XML, line \d+ column \d+: /);
          expect(line).toBeGreaterThanOrEqual(1);
          expect(line).toBeLessThanOrEqual(text.split('\n').length);
          expect(column).toBeGreaterThanOrEqual(1);
        },
      ),
      { numRuns: 10_000 },
    );
  });
});

describe('parseMallocInfo(): messages', () => {
  const good = renderGlibc(
    toTree({
      arenas: [
        { index: 0, system: { current: 8192, max: 8192 }, free: { fast: { count: 0, bytes: 0 }, rest: { count: 1, bytes: 4096 } }, aspace: { total: 8192, mprotect: 8192, subheaps: null }, bins: [] },
      ],
      totals: {
        free: { fast: { count: 0, bytes: 0 }, rest: { count: 1, bytes: 4096 } },
        mmap: { count: 2, bytes: 270336 },
        system: { current: 8192, max: 8192 },
        aspace: { total: 8192, mprotect: 8192 },
      },
    }),
  );

  it.each([
    ['missing element', good.replace('<total type="mmap" count="2" size="270336"/>\n', ''), 'line 1 column 1: <malloc> has no <total type="mmap"> element'],
    ['bad number', good.replace('size="270336"', 'size="270k"'), 'line 14 column 1: size="270k" of <total type="mmap"> is not an integer from 0 to 2^53 − 1'],
    ['mismatched tag', good.replace('</sizes>', '</size>'), 'line 4 column 1: </size> closes <sizes> opened at line 3'],
    ['truncated', good.slice(0, good.indexOf('</heap>')), 'line 11 column 1: the input ends inside <heap> opened at line 2'],
    ['text', good.replace('</heap>', 'oops</heap>'), 'line 11 column 1: unexpected text "oops" in <heap>'],
    ['duplicate', good.replace('<system type="max" size="8192"/>\n<aspace', '<system type="max" size="8192"/>\n<system type="max" size="1"/>\n<aspace'), 'line 9 column 1: <system type="max"> appears twice in <heap nr="0">'],
    ['heap numbering', good.replace('<heap nr="0">', '<heap nr="1">'), 'line 2 column 1: <heap nr="1"> where nr="0" was expected'],
    ['version', good.replace('version="1"', 'version="2"'), 'malloc_info version "2" is not known'],
    ['empty', '  \n', 'line 2 column 1: the input is empty: expected <malloc>'],
    ['comment', `<!-- x -->${good}`, 'comments, CDATA and doctypes are not part of malloc_info output'],
  ])('%s', (_label, text, message) => {
    expect(() => parseMallocInfo(text)).toThrow(message);
  });

  it('rejects a non-string with a TypeError', () => {
    expect(() => parseMallocInfo(Buffer.from(good) as never)).toThrow(TypeError);
  });

  it("reads this process's own malloc_info: arenas add up to glibc's totals", () => {
    const xml = binding.mallocInfo()!;
    const info = parseMallocInfo(xml);
    expect(info.arenas).toHaveLength((xml.match(/<heap nr=/g) ?? []).length);
    const sum = (pick: (a: (typeof info.arenas)[number]) => number): number => info.arenas.reduce((s, a) => s + pick(a), 0);
    expect(sum((a) => a.system.current)).toBe(info.totals.system.current);
    expect(sum((a) => a.system.max)).toBe(info.totals.system.max);
    expect(sum((a) => a.free.rest.bytes)).toBe(info.totals.free.rest.bytes);
    expect(sum((a) => a.free.fast.count)).toBe(info.totals.free.fast.count);
    expect(sum((a) => a.aspace.total)).toBe(info.totals.aspace.total);
    for (const a of info.arenas) {
      // <sizes> lists fastbins and the other bins; "rest" is the other bins plus the top chunk (glibc 2.36).
      const binned = a.bins.reduce((s, b) => s + b.count, 0);
      expect(a.free.rest.count).toBe(binned - a.free.fast.count + 1);
      expect(a.aspace.subheaps === null).toBe(a.index === 0);
    }
    expect(info.arenas[0].aspace.total).toBe(info.arenas[0].system.current);
  });

  it("agrees with mallinfo2: the main arena's top chunk is keepcost, the mmapped chunks are hblks/hblkhd", async () => {
    // Two calls, one after the other: other threads may allocate in between
    // (V8's workers do, often, on a loaded machine), so one try within 5 s
    // must agree to the byte; between tries the thread sleeps a little, so a
    // burst of the workers' allocations can end.
    let agreed = false;
    const until = performance.now() + 5000;
    for (let attempt = 0; !agreed && (attempt < 100 || performance.now() < until); attempt++) {
      if (attempt >= 100) await new Promise((resolve) => setTimeout(resolve, 5));
      const info = parseMallocInfo(binding.mallocInfo()!);
      const m = glibcHeap(sample()).mallinfo;
      const main = info.arenas[0];
      const binnedBytes = main.bins.reduce((s, b) => s + b.total, 0);
      const top = main.free.rest.bytes - (binnedBytes - main.free.fast.bytes);
      agreed =
        top === m.keepcost &&
        info.totals.mmap.count === m.hblks &&
        info.totals.mmap.bytes === m.hblkhd &&
        info.totals.system.current === m.arena;
    }
    expect(agreed).toBe(true);
  });
});
