/**
 * What attribution reports: the objects added between two heap snapshots
 * and still alive, grouped by what they are and what keeps them, and the
 * JavaScript stacks that allocated what grew.
 * @packageDocumentation
 */
import type { SourceLocation } from './attribution-graph';

export type { SourceLocation } from './attribution-graph';

/** One step of a retainer path: the edge taken and the node it leads to. */
export interface RetainerStep {
  /** Property, variable or internal field name, or `[index]` for an element. */
  edge: string;
  /** The node's constructor or function name (`Array`, `onTimeout`, `system / Context`). */
  name: string;
  /** The node's V8 type (`object`, `closure`, `array`, `native`, …). */
  type: string;
  /** Where the function is defined, for closures; else null. */
  location: SourceLocation | null;
}

/** The long-lived object that the growth hangs from (it existed at the baseline). */
export interface Retainer {
  /** The edge that holds it: a variable or property name (`kept`), or `[index]`. */
  edge: string;
  /** Its constructor name (`Array`, `Map`, `Object`) or function name. */
  name: string;
  /** The nearest function above it on the path, where the holding scope is (`onTimeout`), or null. */
  holder: { name: string; location: SourceLocation | null } | null;
}

/** Objects of one kind, kept by one retainer, added since the baseline and alive at the end. */
export interface GrowthGroup {
  /**
   * What they are: a constructor name (`ArrayBuffer`, `Uint8Array`, `Object`),
   * `closure <name>` for functions, `(string)`, `(array)` and so on.
   */
  what: string;
  /** For closures: where the function is defined; else null. */
  location: SourceLocation | null;
  /** How many objects. */
  count: number;
  /** Bytes they take, their internal parts (elements, contexts) and ArrayBuffer backing stores included. */
  bytes: number;
  /** Of `bytes`, those of ArrayBuffer backing stores (malloc'd memory that JS keeps). */
  nativeBytes: number;
  /** The old object that keeps them, or null when the path to them starts at a GC root. */
  keptBy: Retainer | null;
  /** Shortest retainer path of one of them, from V8's GC roots down to it. */
  path: RetainerStep[];
}

/** One JavaScript stack frame. */
export interface StackFrame {
  functionName: string;
  url: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

/** A stack that allocated objects alive at the end, by V8's sampling heap profiler. */
export interface AllocationSite {
  /** Innermost frame first. */
  stack: StackFrame[];
  /** Estimated bytes of V8 heap objects allocated there since the baseline and still alive (ArrayBuffer backing stores are not counted by the sampler). */
  bytes: number;
  /** Samples behind the estimate (the fewer, the rougher). */
  samples: number;
}

/** The result of comparing a baseline with a later state of the same process. */
export interface AttributionReport {
  /** Heap objects in the baseline and in the final snapshot. */
  baselineObjects: number;
  finalObjects: number;
  /** All objects added since the baseline and alive at the end. */
  added: { count: number; bytes: number; nativeBytes: number };
  /** Largest first. */
  groups: GrowthGroup[];
  /** Largest first; empty when no sampling profiles were taken. */
  allocations: AllocationSite[];
}
