/**
 * `parseMallocInfo()`: glibc's `malloc_info(0, fp)` XML as typed numbers.
 *
 * The document glibc writes (malloc/malloc.c, `__malloc_info`), one
 * `<heap>` per arena, then the totals:
 *
 * ```xml
 * <malloc version="1">
 * <heap nr="0">
 * <sizes>
 *   <size from="…" to="…" total="…" count="…"/>      (zero or more)
 *   <unsorted from="…" to="…" total="…" count="…"/>  (at most one)
 * </sizes>
 * <total type="fast" count="…" size="…"/>
 * <total type="rest" count="…" size="…"/>
 * <system type="current" size="…"/>
 * <system type="max" size="…"/>
 * <aspace type="total" size="…"/>
 * <aspace type="mprotect" size="…"/>
 * <aspace type="subheaps" size="…"/>                  (thread arenas, recent glibc)
 * </heap>
 * …
 * <total type="fast" …/> <total type="rest" …/> <total type="mmap" count="…" size="…"/>
 * <system type="current" …/> <system type="max" …/>
 * <aspace type="total" …/> <aspace type="mprotect" …/>
 * </malloc>
 * ```
 *
 * Whitespace, attribute order and quote style do not matter. Everything
 * glibc always writes is required exactly once; elements and attributes
 * this parser does not know are skipped (a later glibc may add some), but
 * they must be well-formed.
 * @packageDocumentation
 */
import { invalidType } from '../core/errors';
import { failAt, readElements, type XmlElement } from './xml-elements';

export { MallocInfoParseError } from './xml-elements';

/** A number of chunks and their size in bytes. */
export interface ChunkTotal {
  /** Number of chunks (`count`). */
  count: number;
  /** Their combined size in bytes (`size`). */
  bytes: number;
}

/** One line of `<sizes>`: the free chunks of one bin. */
export interface FreeBin {
  /** `true` for `<unsorted>` (chunks freed but not yet sorted into a bin), `false` for `<size>`. */
  unsorted: boolean;
  /** Smallest chunk size in the bin, bytes (`from`; for a fastbin, its size class − 15). */
  from: number;
  /** Largest chunk size in the bin, bytes (`to`). */
  to: number;
  /** Bytes in the bin's free chunks (`total`). */
  total: number;
  /** Free chunks in the bin (`count`). */
  count: number;
}

/** The free chunks of an arena or of all arenas (`<total type="fast|rest">`). */
export interface FreeChunks {
  /** In fastbins: small chunks kept for quick reuse, not coalesced. */
  fast: ChunkTotal;
  /**
   * In the other bins (unsorted, small, large) and, on recent glibc (2.36
   * measured), the arena's top chunk: the `<sizes>` lines plus one chunk.
   */
  rest: ChunkTotal;
}

/** One arena, from its `<heap nr="N">` element. */
export interface ArenaStats {
  /** `nr`: 0 is the main arena (brk heap), the others are mmapped thread arenas, in glibc's list order. */
  index: number;
  /** Bytes the arena obtained from the kernel now (`<system type="current">`) and at most (`type="max"`). */
  system: { current: number; max: number };
  /** Free chunks the arena keeps. */
  free: FreeChunks;
  /**
   * Address space of the arena (`<aspace>`): `total` and `mprotect`ed bytes of
   * its heaps (for the main arena both equal `system.current`), and the
   * number of heaps a thread arena spans (`subheaps`; null where glibc does not
   * write it: the main arena, and every arena on older glibc).
   */
  aspace: { total: number; mprotect: number; subheaps: number | null };
  /** The `<sizes>` lines: free chunks per bin, in glibc's order. */
  bins: FreeBin[];
}

/** The totals glibc writes after the arenas. */
export interface MallocInfoTotals {
  /** Free chunks of all arenas (the sums of the arenas' `free`). */
  free: FreeChunks;
  /** Chunks allocated with mmap one by one, outside the arenas (`<total type="mmap">`; mallinfo2's `hblks`/`hblkhd`). */
  mmap: ChunkTotal;
  /** Sums of the arenas' `system` (`current` equals mallinfo2's `arena`). */
  system: { current: number; max: number };
  /** Sums of the arenas' `aspace.total` and `aspace.mprotect`. */
  aspace: { total: number; mprotect: number };
}

/** A parsed `malloc_info` document. */
export interface MallocInfo {
  /** One entry per arena, in document order (`index` 0, 1, 2, …). */
  arenas: ArenaStats[];
  totals: MallocInfoTotals;
}

function label(element: XmlElement): string {
  const key = element.attributes.has('type') ? 'type' : element.attributes.has('nr') ? 'nr' : null;
  return key === null ? `<${element.name}>` : `<${element.name} ${key}="${element.attributes.get(key)}">`;
}

function numberAttribute(element: XmlElement, attribute: string): number {
  const text = element.attributes.get(attribute);
  if (text === undefined) failAt(element, `${label(element)} has no ${attribute} attribute`);
  const value = Number(text);
  if (!/^[0-9]+$/.test(text) || !Number.isSafeInteger(value)) {
    failAt(element, `${attribute}="${text}" of ${label(element)} is not an integer from 0 to 2^53 − 1`);
  }
  return value;
}

/**
 * The children of `parent` that this parser knows, by `name` or
 * `name:type`, each at most once. `keys` lists the known ones; other
 * elements and types are skipped.
 */
function known(parent: XmlElement, keys: readonly string[]): Map<string, XmlElement> {
  const found = new Map<string, XmlElement>();
  const typedNames = new Set(keys.filter((k) => k.includes(':')).map((k) => k.split(':')[0]));
  for (const child of parent.children) {
    let key = child.name;
    if (typedNames.has(child.name)) {
      const type = child.attributes.get('type');
      if (type === undefined) failAt(child, `<${child.name}> in ${label(parent)} has no type attribute`);
      key = `${child.name}:${type}`;
    }
    if (!keys.includes(key)) continue;
    if (found.has(key)) failAt(child, `${label(child)} appears twice in ${label(parent)}`);
    if (key !== 'sizes' && child.children.length > 0) failAt(child.children[0], `${label(child)} must be empty`);
    found.set(key, child);
  }
  return found;
}

function required(found: Map<string, XmlElement>, key: string, parent: XmlElement): XmlElement {
  const element = found.get(key);
  if (element === undefined) {
    const [name, type] = key.split(':');
    failAt(parent, `${label(parent)} has no <${name}${type === undefined ? '' : ` type="${type}"`}> element`);
  }
  return element;
}

function chunkTotal(element: XmlElement): ChunkTotal {
  return { count: numberAttribute(element, 'count'), bytes: numberAttribute(element, 'size') };
}

function size(found: Map<string, XmlElement>, key: string, parent: XmlElement): number {
  return numberAttribute(required(found, key, parent), 'size');
}

function freeBins(sizes: XmlElement): FreeBin[] {
  return sizes.children
    .filter((bin) => bin.name === 'size' || bin.name === 'unsorted')
    .map((bin) => {
      if (bin.children.length > 0) failAt(bin.children[0], `<${bin.name}> must be empty`);
      return {
        unsorted: bin.name === 'unsorted',
        from: numberAttribute(bin, 'from'),
        to: numberAttribute(bin, 'to'),
        total: numberAttribute(bin, 'total'),
        count: numberAttribute(bin, 'count'),
      };
    });
}

const HEAP_KEYS = [
  'sizes', 'total:fast', 'total:rest', 'system:current', 'system:max',
  'aspace:total', 'aspace:mprotect', 'aspace:subheaps',
] as const;
const TOTAL_KEYS = [
  'total:fast', 'total:rest', 'total:mmap', 'system:current', 'system:max', 'aspace:total', 'aspace:mprotect',
] as const;

function arena(heap: XmlElement, expectedIndex: number): ArenaStats {
  const index = numberAttribute(heap, 'nr');
  if (index !== expectedIndex) {
    failAt(heap, `${label(heap)} where nr="${expectedIndex}" was expected (heaps are numbered from 0 in order)`);
  }
  const found = known(heap, HEAP_KEYS);
  const subheaps = found.get('aspace:subheaps');
  return {
    index,
    system: { current: size(found, 'system:current', heap), max: size(found, 'system:max', heap) },
    free: {
      fast: chunkTotal(required(found, 'total:fast', heap)),
      rest: chunkTotal(required(found, 'total:rest', heap)),
    },
    aspace: {
      total: size(found, 'aspace:total', heap),
      mprotect: size(found, 'aspace:mprotect', heap),
      subheaps: subheaps === undefined ? null : numberAttribute(subheaps, 'size'),
    },
    bins: freeBins(required(found, 'sizes', heap)),
  };
}

/**
 * Parses the XML that glibc's `malloc_info(0, fp)` writes.
 *
 * @throws MallocInfoParseError (`code: 'ERR_MALLINFO_MALLOC_INFO'`, with
 * `line` and `column`) naming what is malformed or missing.
 * @example
 * ```ts
 * const { arenas, totals } = parseMallocInfo(readFileSync('malloc-info.xml', 'utf8'));
 * ```
 */
export function parseMallocInfo(xml: string): MallocInfo {
  if (typeof xml !== 'string') throw invalidType('xml', 'a string', xml);
  const root = readElements(xml);
  if (root.name !== 'malloc') failAt(root, `the root element is <${root.name}>, expected <malloc>`);
  const version = root.attributes.get('version');
  if (version !== '1') {
    failAt(root, version === undefined ? '<malloc> has no version attribute' : `malloc_info version "${version}" is not known (only "1" is)`);
  }
  const heaps = root.children.filter((child) => child.name === 'heap');
  if (heaps.length === 0) failAt(root, '<malloc> has no <heap> element (glibc always writes the main arena)');
  const arenas = heaps.map(arena);
  const found = known(root, TOTAL_KEYS);
  return {
    arenas,
    totals: {
      free: {
        fast: chunkTotal(required(found, 'total:fast', root)),
        rest: chunkTotal(required(found, 'total:rest', root)),
      },
      mmap: chunkTotal(required(found, 'total:mmap', root)),
      system: { current: size(found, 'system:current', root), max: size(found, 'system:max', root) },
      aspace: { total: size(found, 'aspace:total', root), mprotect: size(found, 'aspace:mprotect', root) },
    },
  };
}
