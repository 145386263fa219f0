/**
 * `mallinfo/prometheus`: the allocator's numbers as prom-client metrics,
 * beside `collectDefaultMetrics()` (which already exports RSS and V8).
 * prom-client is an optional peer dependency.
 * @packageDocumentation
 */
import type { Counter, Gauge, Registry } from 'prom-client';
import { invalidType, outOfRange } from './core/errors';
import { allocatorLabels, BYTE_STATES, BYTES_HELP, requirePeer, sharedReading } from './exporters/metrics';
import { optionsObject } from './core/validate';

type PromClient = typeof import('prom-client');
const client = requirePeer<PromClient>('prom-client', 'mallinfo/prometheus');

/** Options of {@link collectMallinfoMetrics}. */
export interface MallinfoMetricsOptions {
  /** The registry to register on. Default: prom-client's global `register`. */
  register?: Registry;
  /** Prepended to every metric name, as with `collectDefaultMetrics({ prefix })`. Default `''`. */
  prefix?: string;
  /** Static labels added to every metric, e.g. `{ service: 'api' }`. */
  labels?: Record<string, string>;
}

/** What {@link collectMallinfoMetrics} registered. */
export interface MallinfoMetrics {
  /** The full names of the registered metrics. */
  readonly names: readonly string[];
  /** Removes these metrics from the registry. */
  unregister(): void;
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const RESERVED_LABELS = ['state', 'allocator', 'version'];

function checkOptions(options: unknown): { register: Registry; prefix: string; labels: Record<string, string> } {
  const opts = optionsObject('options', options, ['register', 'prefix', 'labels']);
  const register = opts.register ?? client.register;
  if (!(register instanceof client.Registry)) throw invalidType('options.register', 'a prom-client Registry', register);
  const prefix = opts.prefix ?? '';
  if (typeof prefix !== 'string') throw invalidType('options.prefix', 'a string', prefix);
  if (prefix !== '' && !METRIC_NAME.test(prefix)) {
    throw outOfRange('options.prefix', 'a valid metric name prefix ([a-zA-Z_:][a-zA-Z0-9_:]*)', prefix);
  }
  const labels = opts.labels ?? {};
  if (labels === null || typeof labels !== 'object' || Array.isArray(labels)) {
    throw invalidType('options.labels', 'an object of label names to string values', labels);
  }
  for (const [name, value] of Object.entries(labels)) {
    if (!LABEL_NAME.test(name) || name.startsWith('__') || RESERVED_LABELS.includes(name)) {
      throw outOfRange(`options.labels.${name}`, `a valid label name other than ${RESERVED_LABELS.join(', ')}`, name);
    }
    if (typeof value !== 'string') throw invalidType(`options.labels.${name}`, 'a string', value);
  }
  return { register, prefix, labels: labels as Record<string, string> };
}

/**
 * Registers the allocator metrics on a prom-client registry. Every scrape
 * reads the allocator once (the heap part of `sample()`), shared by all of
 * them.
 *
 * | metric | type | source |
 * | --- | --- | --- |
 * | `nodejs_malloc_bytes{state}` | gauge | `heap.inUse`, `free`, `mapped`, `mmapped` |
 * | `nodejs_malloc_arenas` | gauge | `<heap>` count in `malloc_info` |
 * | `nodejs_malloc_trims_total` | counter | trims run by mallinfo |
 * | `nodejs_malloc_trim_released_bytes_total` | counter | RSS those trims released |
 * | `nodejs_malloc_sample_duration_seconds` | gauge | time the scrape's allocator read took |
 * | `nodejs_malloc_info{allocator,version}` | gauge (1) | `allocator()` |
 *
 * @example
 * ```ts
 * import { collectDefaultMetrics, register } from 'prom-client';
 * import { collectMallinfoMetrics } from 'mallinfo/prometheus';
 * collectDefaultMetrics();
 * collectMallinfoMetrics();
 * ```
 */
export function collectMallinfoMetrics(options?: MallinfoMetricsOptions): MallinfoMetrics {
  const { register, prefix, labels } = checkOptions(options);
  const read = sharedReading();
  const names = [
    'nodejs_malloc_bytes',
    'nodejs_malloc_arenas',
    'nodejs_malloc_trims_total',
    'nodejs_malloc_trim_released_bytes_total',
    'nodejs_malloc_sample_duration_seconds',
    'nodejs_malloc_info',
  ].map((name) => prefix + name);
  for (const name of names) {
    if (register.getSingleMetric(name) !== undefined) {
      throw new Error(`${name} is already registered on this registry: call collectMallinfoMetrics() once per registry`);
    }
  }
  const staticNames = Object.keys(labels);
  const common = { registers: [register], labelNames: staticNames };
  // Label sets built once. prom-client hashes the label object on every
  // set()/inc(); without static labels, the label-less calls skip that.
  const stateLabels = BYTE_STATES.map(([state, field]) => [{ ...labels, state }, field] as const);
  const set = staticNames.length === 0 ? (m: Gauge, v: number) => m.set(v) : (m: Gauge, v: number) => m.set(labels, v);
  const add = staticNames.length === 0 ? (m: Counter, v: number) => m.inc(v) : (m: Counter, v: number) => m.inc(labels, v);
  let bytesExported = false;
  // Counters only go up: each scrape adds what the totals gained since the last.
  const exportedTrims = { count: 0, releasedBytes: 0 };
  const created: (Gauge | Counter)[] = [
    new client.Gauge({
      ...common,
      name: names[0],
      help: BYTES_HELP,
      labelNames: [...staticNames, 'state'],
      collect(this: Gauge) {
        const heap = read().heap;
        if (heap === null) {
          // No statistics: export nothing rather than zeros.
          if (bytesExported) this.reset();
          bytesExported = false;
          return;
        }
        for (const [stateLabel, field] of stateLabels) {
          const bytes = heap[field];
          if (bytes !== null) this.set(stateLabel, bytes);
        }
        bytesExported = true;
      },
    }),
    new client.Gauge({
      ...common,
      name: names[1],
      help: 'Live malloc arenas (glibc: count of <heap> elements in malloc_info, recounted when mallinfo arena bytes change; jemalloc: arenas.narenas)',
      collect(this: Gauge) {
        const arenas = read().arenas;
        if (arenas !== null) set(this, arenas);
      },
    }),
    new client.Counter({
      ...common,
      name: names[2],
      help: 'malloc_trim calls made by mallinfo (trim, trimSync, Sampler autoTrim)',
      collect(this: Counter) {
        const { count } = read().trims;
        if (count !== exportedTrims.count) add(this, count - exportedTrims.count);
        exportedTrims.count = count;
      },
    }),
    new client.Counter({
      ...common,
      name: names[3],
      help: 'Resident bytes released by mallinfo trims (RSS from /proc/self/statm before minus after)',
      collect(this: Counter) {
        const { releasedBytes } = read().trims;
        if (releasedBytes !== exportedTrims.releasedBytes) add(this, releasedBytes - exportedTrims.releasedBytes);
        exportedTrims.releasedBytes = releasedBytes;
      },
    }),
    new client.Gauge({
      ...common,
      name: names[4],
      help: 'Time the allocator statistics read of this scrape took (glibc: mallinfo2, which holds each arena lock while it walks the free lists)',
      collect(this: Gauge) {
        set(this, read().sampleDurationSeconds);
      },
    }),
    new client.Gauge({
      ...common,
      name: names[5],
      help: 'The allocator serving malloc in this process (always 1; see the labels)',
      labelNames: [...staticNames, 'allocator', 'version'],
    }),
  ];
  // The allocator is fixed for the life of the process: set once. Counters
  // start at 0 with their labels, so the series exist before the first trim.
  (created[5] as Gauge).set({ ...labels, ...allocatorLabels() }, 1);
  add(created[2] as Counter, 0);
  add(created[3] as Counter, 0);
  return {
    names,
    unregister() {
      for (const metric of created) register.removeSingleMetric((metric as unknown as { name: string }).name);
    },
  };
}
