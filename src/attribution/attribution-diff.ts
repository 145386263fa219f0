/**
 * What grew between two heap snapshots of one process: objects whose ids
 * are in the final snapshot but not in the baseline (V8 keeps an object's
 * id for its life), grouped by what they are and by the long-lived object
 * that keeps them.
 *
 * Internal parts (elements arrays, contexts, ArrayBuffer backing stores)
 * are counted with the object that holds them, so that the bytes of a
 * Buffer's memory go to the Buffer's ArrayBuffer and then to whatever keeps
 * it. The retainer is the first object on the shortest path from the root
 * that is neither new nor internal: the container that grew.
 * @packageDocumentation
 */
import type { HeapGraph } from './attribution-graph';
import type { GrowthGroup, Retainer, RetainerStep } from './attribution-types';

/** Retainer-path steps kept per group (the ones nearest the object). */
const MAX_PATH_STEPS = 12;
/** Steps walked up from a retainer to find the function whose scope holds it. */
const MAX_HOLDER_STEPS = 8;

/** The ids of a baseline snapshot, sorted, for membership tests. */
export function snapshotIds(graph: HeapGraph): Uint32Array {
  return graph.nodeId.slice().sort();
}

function has(sorted: Uint32Array, id: number): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const value = sorted[mid];
    if (value === id) return true;
    if (value < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/** What a node is, as a group's `what`. */
function kindOf(graph: HeapGraph, node: number): string {
  const type = graph.type(node);
  const name = graph.name(node);
  if (graph.isArrayBufferData(node)) return 'ArrayBuffer data';
  if (type === 'object') return name;
  if (type === 'closure') return `closure ${name === '' ? '(anonymous)' : name}`;
  if (type.endsWith('string')) return '(string)';
  return `(${type})${name === '' ? '' : ` ${name.slice(0, 60)}`}`;
}

/** Closures by the context they close over, for naming the scope that holds a variable. */
function closuresByContext(graph: HeapGraph): Map<number, number[]> {
  const map = new Map<number, number[]>();
  for (let node = 0; node < graph.nodeCount; node++) {
    if (graph.type(node) !== 'closure') continue;
    const context = graph.child(node, 'context');
    if (context === -1) continue;
    const list = map.get(context);
    if (list === undefined) map.set(context, [node]);
    else list.push(node);
  }
  return map;
}

function retainerOf(
  graph: HeapGraph,
  owner: number,
  parentEdge: Int32Array,
  parentNode: Int32Array,
  byContext: () => Map<number, number[]>,
): Retainer | null {
  if (owner <= 0 || parentEdge[owner] === -1 || graph.type(owner) === 'synthetic') return null;
  const named = (closure: number): NonNullable<Retainer['holder']> => ({
    name: graph.name(closure) === '' ? '(anonymous)' : graph.name(closure),
    location: graph.location(closure),
  });
  let holder: Retainer['holder'] = null;
  let at = owner;
  for (let step = 0; step < MAX_HOLDER_STEPS && at > 0; step++, at = parentNode[at]) {
    if (graph.type(at) === 'closure') {
      holder = named(at);
      break;
    }
  }
  // A variable reached through a context from the stack or a module: name a function of that scope.
  const parent = parentNode[owner];
  if (holder === null && parent > 0 && graph.name(parent) === 'system / Context') {
    const closures = byContext().get(parent) ?? [];
    // A named function reads better than an arrow function of the same scope.
    const located = closures.find((c) => graph.name(c) !== '' && graph.location(c) !== null) ?? closures.find((c) => graph.location(c) !== null);
    if (located !== undefined) holder = named(located);
  }
  return { edge: graph.edgeLabel(parentEdge[owner]), name: graph.name(owner), holder };
}

function pathTo(graph: HeapGraph, node: number, parentEdge: Int32Array, parentNode: Int32Array): RetainerStep[] {
  const steps: RetainerStep[] = [];
  for (let at = node; at > 0 && parentEdge[at] !== -1; at = parentNode[at]) {
    if (steps.length === MAX_PATH_STEPS) break;
    steps.push({
      edge: graph.edgeLabel(parentEdge[at]),
      name: graph.name(at),
      type: graph.type(at),
      location: graph.type(at) === 'closure' ? graph.location(at) : null,
    });
  }
  return steps.reverse();
}

/**
 * The object that keeps `unit`: the first old (baseline) object above it
 * that is not internal, when that is a container (an object); when it is a
 * function or a root, the container was made after the baseline, and the
 * topmost new object above `unit` is it. 0 when there is none.
 */
function ownerOf(graph: HeapGraph, unit: number, isNew: Uint8Array, parentNode: Int32Array): number {
  let topNew = 0;
  let at = parentNode[unit];
  while (at > 0 && (isNew[at] || graph.isInternal(at))) {
    if (isNew[at] && !graph.isInternal(at)) topNew = at;
    at = parentNode[at];
  }
  if (at > 0 && graph.type(at) === 'object') return at;
  return topNew !== 0 ? topNew : at;
}

/**
 * Synthetic nodes (roots) and the nodes of Node's embedder graph
 * (`Node / Environment`, `Node / zlib_memory`, …) are not objects the
 * program made, and get fresh ids in every snapshot: never "new".
 */
function isEmbedderNode(graph: HeapGraph, node: number): boolean {
  const type = graph.type(node);
  return type === 'synthetic' || (type === 'native' && graph.name(node).startsWith('Node / '));
}

/** Options of {@link diffSnapshots}. */
export interface DiffOptions {
  /** Groups returned at most, largest first. */
  maxGroups: number;
  /** Objects whose shortest path passes through an object of one of these constructors are left out (the analysis's own state). */
  excludeRetainedBy?: readonly string[];
  /** Objects whose shortest path passes through a function defined in a file under this directory are left out too. */
  excludeRetainedByCodeUnder?: string;
}

/** Marks nodes whose shortest path from the root passes through an object named in `names`. */
function retainedBy(graph: HeapGraph, parentNode: Int32Array, names: readonly string[], codeUnder: string | undefined): Uint8Array {
  const isOurs = (node: number): boolean => {
    const type = graph.type(node);
    if (type === 'object') return names.includes(graph.name(node));
    if (type !== 'closure' || codeUnder === undefined) return false;
    const url = graph.location(node)?.url;
    return url !== undefined && (url.startsWith(codeUnder) || url.startsWith(`file://${codeUnder}`));
  };
  // 0 unknown, 1 excluded, 2 not excluded.
  const state = new Uint8Array(graph.nodeCount);
  state[0] = 2;
  const chain: number[] = [];
  for (let i = 1; i < graph.nodeCount; i++) {
    let at = i;
    while (state[at] === 0) {
      if (isOurs(at)) {
        state[at] = 1;
        break;
      }
      chain.push(at);
      const parent = parentNode[at];
      if (parent === -1) {
        state[at] = 2;
        break;
      }
      at = parent;
    }
    for (const c of chain) state[c] = state[at];
    chain.length = 0;
  }
  return state;
}

/** Groups the objects of `final` whose ids are not in `baselineIds`, largest first. */
export function diffSnapshots(
  baselineIds: Uint32Array,
  final: HeapGraph,
  options: DiffOptions,
): { groups: GrowthGroup[]; added: { count: number; bytes: number; nativeBytes: number } } {
  const { parentEdge, parentNode } = final.shortestPathEdges();
  const n = final.nodeCount;
  const excluded =
    options.excludeRetainedBy?.length || options.excludeRetainedByCodeUnder !== undefined
      ? retainedBy(final, parentNode, options.excludeRetainedBy ?? [], options.excludeRetainedByCodeUnder)
      : null;
  const isNew = new Uint8Array(n);
  for (let i = 1; i < n; i++) {
    if (parentNode[i] !== -1 && excluded?.[i] !== 1 && !isEmbedderNode(final, i) && !has(baselineIds, final.nodeId[i])) isNew[i] = 1;
  }
  // An internal new node belongs to the new node that holds it (its unit).
  const unit = new Int32Array(n).fill(-1);
  const unitOf = (node: number): number => {
    const chain: number[] = [];
    let at = node;
    while (unit[at] === -1) {
      const parent = parentNode[at];
      if (!final.isInternal(at) || parent <= 0 || !isNew[parent]) {
        unit[at] = at;
        break;
      }
      chain.push(at);
      at = parent;
    }
    for (const c of chain) unit[c] = unit[at];
    return unit[at];
  };
  let contexts: Map<number, number[]> | undefined;
  const byContext = (): Map<number, number[]> => (contexts ??= closuresByContext(final));
  const groups = new Map<string, GrowthGroup & { representative: number; representativeBytes: number }>();
  const unitBytes = new Map<number, number>();
  const unitNativeBytes = new Map<number, number>();
  const added = { count: 0, bytes: 0, nativeBytes: 0 };
  for (let i = 1; i < n; i++) {
    if (!isNew[i]) continue;
    const u = unitOf(i);
    unitBytes.set(u, (unitBytes.get(u) ?? 0) + final.selfSize[i]);
    added.bytes += final.selfSize[i];
    if (final.isArrayBufferData(i)) {
      added.nativeBytes += final.selfSize[i];
      unitNativeBytes.set(u, (unitNativeBytes.get(u) ?? 0) + final.selfSize[i]);
    }
  }
  for (const [u, bytes] of unitBytes) {
    added.count++;
    // Compiled code and script line tables: V8's, counted in `added` but not a group of the program's objects.
    if (final.type(u) === 'code') continue;
    const owner = ownerOf(final, u, isNew, parentNode);
    const location = final.type(u) === 'closure' ? final.location(u) : null;
    const what = kindOf(final, u);
    const key = `${what}\0${location ? `${location.url}:${location.line}` : ''}\0${owner}`;
    let group = groups.get(key);
    if (group === undefined) {
      group = {
        what,
        location,
        count: 0,
        bytes: 0,
        nativeBytes: 0,
        keptBy: retainerOf(final, owner, parentEdge, parentNode, byContext),
        path: [],
        representative: u,
        representativeBytes: -1,
      };
      groups.set(key, group);
    }
    group.count++;
    group.bytes += bytes;
    group.nativeBytes += unitNativeBytes.get(u) ?? 0;
    if (bytes > group.representativeBytes) {
      group.representative = u;
      group.representativeBytes = bytes;
    }
  }
  const sorted = [...groups.values()].sort((a, b) => b.bytes - a.bytes).slice(0, options.maxGroups);
  return {
    added,
    groups: sorted.map(({ representative, representativeBytes: _, ...group }) => ({
      ...group,
      path: pathTo(final, representative, parentEdge, parentNode),
    })),
  };
}
