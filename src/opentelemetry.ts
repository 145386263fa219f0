/**
 * `mallinfo/opentelemetry`: the allocator's numbers as OpenTelemetry
 * observable instruments, all observed in one batch callback from one
 * allocator reading (the heap part of `sample()`). `@opentelemetry/api` is
 * an optional peer dependency.
 * @packageDocumentation
 */
import type { Attributes, BatchObservableResult, Meter, Observable } from '@opentelemetry/api';
import { invalidType, outOfRange } from './core/errors';
import { allocatorLabels, BYTE_STATES, BYTES_HELP, readMetrics, requirePeer } from './exporters/metrics';
import { optionsObject } from './core/validate';

// Loaded for its presence only: the meter comes from the caller, but a
// missing API package is an install problem worth naming at import time.
requirePeer<typeof import('@opentelemetry/api')>('@opentelemetry/api', 'mallinfo/opentelemetry');

/** Options of {@link registerMallinfoMetrics}. */
export interface MallinfoOtelOptions {
  /** Attributes added to every observation, e.g. `{ 'service.name': 'api' }`. */
  attributes?: Attributes;
}

/** What {@link registerMallinfoMetrics} registered. */
export interface MallinfoOtelMetrics {
  /** The instrument names. */
  readonly names: readonly string[];
  /** Removes the batch callback: the instruments stop reporting. */
  unregister(): void;
}

/**
 * Registers observable instruments on `meter`:
 *
 * | instrument | kind | unit | attributes | source |
 * | --- | --- | --- | --- | --- |
 * | `nodejs.malloc.memory` | gauge | `By` | `state`: in_use, free, mapped, mmapped | `heap.inUse`, `free`, `mapped`, `mmapped` |
 * | `nodejs.malloc.arenas` | gauge | `{arena}` | | `<heap>` count in `malloc_info` |
 * | `nodejs.malloc.trims` | counter | `{trim}` | | trims run by mallinfo |
 * | `nodejs.malloc.trim.released` | counter | `By` | | RSS those trims released |
 * | `nodejs.malloc.sample.duration` | gauge | `s` | | `costNs` of the sample |
 *
 * Every observation also carries `nodejs.malloc.allocator` and
 * `nodejs.malloc.allocator.version`. Where the allocator gives no
 * statistics, `nodejs.malloc.memory` and `nodejs.malloc.arenas` observe
 * nothing (never zeros).
 *
 * @example
 * ```ts
 * import { metrics } from '@opentelemetry/api';
 * import { registerMallinfoMetrics } from 'mallinfo/opentelemetry';
 * registerMallinfoMetrics(metrics.getMeter('my-service'));
 * ```
 */
export function registerMallinfoMetrics(meter: Meter, options?: MallinfoOtelOptions): MallinfoOtelMetrics {
  if (meter === null || typeof meter !== 'object' || typeof meter.addBatchObservableCallback !== 'function') {
    throw invalidType('meter', 'an OpenTelemetry Meter', meter);
  }
  const opts = optionsObject('options', options, ['attributes']);
  const extra = opts.attributes ?? {};
  if (extra === null || typeof extra !== 'object' || Array.isArray(extra)) {
    throw invalidType('options.attributes', 'an object of attributes', extra);
  }
  if ('state' in extra) throw outOfRange('options.attributes.state', 'left to mallinfo (it labels memory states)', 'state');
  const identity = allocatorLabels();
  const attributes: Attributes = {
    ...(extra as Attributes),
    'nodejs.malloc.allocator': identity.allocator,
    'nodejs.malloc.allocator.version': identity.version,
  };

  const memory = meter.createObservableGauge('nodejs.malloc.memory', {
    unit: 'By',
    description: BYTES_HELP,
  });
  const arenas = meter.createObservableGauge('nodejs.malloc.arenas', {
    unit: '{arena}',
    description: 'Live malloc arenas (glibc: count of <heap> elements in malloc_info, recounted when mallinfo arena bytes change; jemalloc: arenas.narenas)',
  });
  const trims = meter.createObservableCounter('nodejs.malloc.trims', {
    unit: '{trim}',
    description: 'malloc_trim calls made by mallinfo (trim, trimSync, Sampler autoTrim)',
  });
  const released = meter.createObservableCounter('nodejs.malloc.trim.released', {
    unit: 'By',
    description: 'Resident bytes released by mallinfo trims (RSS from /proc/self/statm before minus after)',
  });
  const duration = meter.createObservableGauge('nodejs.malloc.sample.duration', {
    unit: 's',
    description: 'Time the allocator statistics read took (glibc: mallinfo2, which holds each arena lock while it walks the free lists)',
  });
  const observables: Observable[] = [memory, arenas, trims, released, duration];

  const callback = (result: BatchObservableResult): void => {
    const reading = readMetrics();
    if (reading.heap !== null) {
      for (const [state, field] of BYTE_STATES) {
        const bytes = reading.heap[field];
        if (bytes !== null) result.observe(memory, bytes, { ...attributes, state });
      }
    }
    if (reading.arenas !== null) result.observe(arenas, reading.arenas, attributes);
    result.observe(trims, reading.trims.count, attributes);
    result.observe(released, reading.trims.releasedBytes, attributes);
    result.observe(duration, reading.sampleDurationSeconds, attributes);
  };
  meter.addBatchObservableCallback(callback, observables);
  return {
    names: ['nodejs.malloc.memory', 'nodejs.malloc.arenas', 'nodejs.malloc.trims', 'nodejs.malloc.trim.released', 'nodejs.malloc.sample.duration'],
    unregister() {
      meter.removeBatchObservableCallback(callback, observables);
    },
  };
}
