/**
 * A V8 heap snapshot (`.heapsnapshot` JSON, as `HeapProfiler.takeHeapSnapshot`
 * or `v8.writeHeapSnapshot()` writes it) read into flat typed arrays, with
 * the shortest retainer path of every node from the root.
 *
 * Written here rather than taken from memlab: `@memlab/core` depends on
 * puppeteer (a Chrome download at install) and xvfb, too much for a runtime
 * dependency of an allocator library; the little this needs (nodes, edges,
 * one breadth-first search) is below.
 * @packageDocumentation
 */

/** The snapshot's JSON, the parts read here. */
export interface HeapSnapshotJson {
  snapshot: {
    meta: {
      node_fields: string[];
      node_types: [string[], ...unknown[]];
      edge_fields: string[];
      edge_types: [string[], ...unknown[]];
      location_fields?: string[];
    };
  };
  nodes: number[];
  edges: number[];
  locations?: number[];
  strings: string[];
}

/** Where a function's source is: 1-based line and column, as editors count. */
export interface SourceLocation {
  url: string;
  line: number;
  column: number;
}

/** Node types that are the engine's own bookkeeping, not objects a program made. */
const INTERNAL_TYPES = new Set(['hidden', 'array', 'code', 'native', 'synthetic', 'object shape']);

/** A parsed heap snapshot. Node and edge handles are indexes (0 … count-1). */
export class HeapGraph {
  readonly nodeCount: number;
  /** Index into `typeNames`, per node. */
  readonly nodeType: Uint8Array;
  readonly nodeName: Uint32Array;
  /** V8's object id: stable for the same object across snapshots of one process. */
  readonly nodeId: Uint32Array;
  /** Bytes the node itself takes (for `system / JSArrayBufferData`, the buffer's byte length). */
  readonly selfSize: Float64Array;
  /** First edge of each node; the node's edges run to `firstEdge[n + 1]`. */
  readonly firstEdge: Uint32Array;
  readonly edgeType: Uint8Array;
  /** A string index, or an element index for element and hidden edges. */
  readonly edgeName: Uint32Array;
  readonly edgeTo: Uint32Array;
  readonly typeNames: readonly string[];
  readonly edgeTypeNames: readonly string[];
  readonly strings: readonly string[];
  /** Source location of closures, by node. */
  private readonly locations = new Map<number, { scriptId: number; line: number; column: number }>();
  private parentEdges: Int32Array | undefined;
  private parentNodes: Int32Array | undefined;

  /** @throws TypeError when `json` is not a heap snapshot. */
  constructor(json: HeapSnapshotJson) {
    const meta = (json as Partial<HeapSnapshotJson> | null)?.snapshot?.meta;
    if (!meta || !Array.isArray(meta.node_fields) || !Array.isArray(json.nodes) || !Array.isArray(json.edges) || !Array.isArray(json.strings)) {
      throw new TypeError('not a V8 heap snapshot: expected snapshot.meta, nodes, edges and strings');
    }
    const nf = meta.node_fields.length;
    const ef = meta.edge_fields.length;
    const field = (fields: string[], name: string): number => {
      const at = fields.indexOf(name);
      if (at === -1) throw new TypeError(`heap snapshot has no ${name} field`);
      return at;
    };
    const [fType, fName, fId, fSize, fEdges] = ['type', 'name', 'id', 'self_size', 'edge_count'].map((n) => field(meta.node_fields, n));
    const [eType, eName, eTo] = ['type', 'name_or_index', 'to_node'].map((n) => field(meta.edge_fields, n));
    this.typeNames = meta.node_types[0];
    this.edgeTypeNames = meta.edge_types[0];
    this.strings = json.strings;
    const nodes = json.nodes;
    const edges = json.edges;
    const n = nodes.length / nf;
    const e = edges.length / ef;
    this.nodeCount = n;
    this.nodeType = new Uint8Array(n);
    this.nodeName = new Uint32Array(n);
    this.nodeId = new Uint32Array(n);
    this.selfSize = new Float64Array(n);
    this.firstEdge = new Uint32Array(n + 1);
    let edge = 0;
    for (let i = 0, at = 0; i < n; i++, at += nf) {
      this.nodeType[i] = nodes[at + fType];
      this.nodeName[i] = nodes[at + fName];
      this.nodeId[i] = nodes[at + fId];
      this.selfSize[i] = nodes[at + fSize];
      this.firstEdge[i] = edge;
      edge += nodes[at + fEdges];
    }
    this.firstEdge[n] = edge;
    this.edgeType = new Uint8Array(e);
    this.edgeName = new Uint32Array(e);
    this.edgeTo = new Uint32Array(e);
    for (let i = 0, at = 0; i < e; i++, at += ef) {
      this.edgeType[i] = edges[at + eType];
      this.edgeName[i] = edges[at + eName];
      this.edgeTo[i] = edges[at + eTo] / nf;
    }
    const locations = json.locations ?? [];
    const lf = meta.location_fields?.length ?? 4;
    for (let i = 0; i + 3 < locations.length; i += lf) {
      this.locations.set(locations[i] / nf, { scriptId: locations[i + 1], line: locations[i + 2], column: locations[i + 3] });
    }
  }

  /** Parses a snapshot's text. */
  static parse(text: string): HeapGraph {
    return new HeapGraph(JSON.parse(text) as HeapSnapshotJson);
  }

  type(node: number): string {
    return this.typeNames[this.nodeType[node]];
  }

  name(node: number): string {
    return this.strings[this.nodeName[node]];
  }

  /** Whether the node is V8's or Node's bookkeeping (hidden, code, arrays of elements, contexts, native data). */
  isInternal(node: number): boolean {
    return INTERNAL_TYPES.has(this.type(node)) || this.name(node).startsWith('system / ');
  }

  /** Whether the node is the backing store of an ArrayBuffer (its self size is the byte length). */
  isArrayBufferData(node: number): boolean {
    return this.type(node) === 'native' && this.name(node) === 'system / JSArrayBufferData';
  }

  /** The edge's name as a path step: a property or variable name, or `[index]`. */
  edgeLabel(edge: number): string {
    const type = this.edgeTypeNames[this.edgeType[edge]];
    if (type === 'element' || type === 'hidden') return `[${this.edgeName[edge]}]`;
    return this.strings[this.edgeName[edge]] ?? '?';
  }

  /** The node whose edge named `name` (a property or internal field) leads out of `node`, or -1. */
  child(node: number, name: string): number {
    for (let e = this.firstEdge[node]; e < this.firstEdge[node + 1]; e++) {
      const type = this.edgeTypeNames[this.edgeType[e]];
      if (type !== 'element' && type !== 'hidden' && this.strings[this.edgeName[e]] === name) return this.edgeTo[e];
    }
    return -1;
  }

  /** Where a closure's function is defined, when the snapshot says (script name from its SharedFunctionInfo). */
  location(closure: number): SourceLocation | null {
    const at = this.locations.get(closure);
    if (at === undefined) return null;
    const shared = this.child(closure, 'shared');
    const script = shared === -1 ? -1 : this.child(shared, 'script_or_debug_info');
    const url = script === -1 ? '' : this.name(script);
    if (url === '' || url.startsWith('system / ')) return null;
    return { url, line: at.line + 1, column: at.column + 1 };
  }

  /**
   * The edge by which each node is first reached from the root in a
   * breadth-first search that ignores weak edges (-1 for the root and for
   * nodes only weakly reachable): following them backwards gives a
   * shortest retainer path.
   */
  shortestPathEdges(): { parentEdge: Int32Array; parentNode: Int32Array } {
    if (this.parentEdges === undefined || this.parentNodes === undefined) {
      const parentEdge = new Int32Array(this.nodeCount).fill(-1);
      const parentNode = new Int32Array(this.nodeCount).fill(-1);
      const weak = this.edgeTypeNames.indexOf('weak');
      const seen = new Uint8Array(this.nodeCount);
      const queue = new Uint32Array(this.nodeCount);
      let head = 0;
      let tail = 0;
      queue[tail++] = 0;
      seen[0] = 1;
      while (head < tail) {
        const node = queue[head++];
        for (let e = this.firstEdge[node]; e < this.firstEdge[node + 1]; e++) {
          if (this.edgeType[e] === weak) continue;
          const to = this.edgeTo[e];
          if (seen[to]) continue;
          seen[to] = 1;
          parentEdge[to] = e;
          parentNode[to] = node;
          queue[tail++] = to;
        }
      }
      this.parentEdges = parentEdge;
      this.parentNodes = parentNode;
    }
    return { parentEdge: this.parentEdges, parentNode: this.parentNodes };
  }
}
