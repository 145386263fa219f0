import { describe, expect, it } from 'vitest';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
  type MetricData,
} from '@opentelemetry/sdk-metrics';
import { sample, trimSync } from 'mallinfo';
import { registerMallinfoMetrics } from 'mallinfo/opentelemetry';
import { glibcHeap } from './helpers';

async function collect(): Promise<{ metrics: Map<string, MetricData>; before: ReturnType<typeof sample>; after: ReturnType<typeof sample>; shutdown: () => Promise<void>; unregister: () => void }> {
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
  const provider = new MeterProvider({ readers: [reader] });
  const registered = registerMallinfoMetrics(provider.getMeter('mallinfo-test'), { attributes: { 'service.name': 'test' } });
  const before = sample();
  await reader.forceFlush();
  const after = sample();
  const metrics = new Map<string, MetricData>();
  for (const resourceMetrics of exporter.getMetrics()) {
    for (const scope of resourceMetrics.scopeMetrics) for (const m of scope.metrics) metrics.set(m.descriptor.name, m);
  }
  return { metrics, before, after, shutdown: () => provider.shutdown(), unregister: registered.unregister };
}

describe('mallinfo/opentelemetry', () => {
  it('exports every instrument with its unit, attributes and values, from one batch callback', async () => {
    trimSync();
    const { metrics, before, after, shutdown } = await collect();
    expect([...metrics.keys()].sort()).toEqual([
      'nodejs.malloc.arenas',
      'nodejs.malloc.memory',
      'nodejs.malloc.sample.duration',
      'nodejs.malloc.trim.released',
      'nodejs.malloc.trims',
    ]);
    const units = Object.fromEntries([...metrics].map(([name, m]) => [name, m.descriptor.unit]));
    expect(units).toEqual({
      'nodejs.malloc.memory': 'By',
      'nodejs.malloc.arenas': '{arena}',
      'nodejs.malloc.trims': '{trim}',
      'nodejs.malloc.trim.released': 'By',
      'nodejs.malloc.sample.duration': 's',
    });
    const memory = metrics.get('nodejs.malloc.memory')!;
    const byState = new Map(memory.dataPoints.map((p) => [p.attributes.state, p]));
    expect([...byState.keys()].sort()).toEqual(['free', 'in_use', 'mapped', 'mmapped']);
    for (const point of memory.dataPoints) {
      expect(point.attributes['service.name']).toBe('test');
      expect(point.attributes['nodejs.malloc.allocator']).toBe('glibc');
      expect(point.attributes['nodejs.malloc.allocator.version']).toMatch(/^\d+\.\d+$/);
    }
    const slack = 256 * 1024;
    for (const [state, field] of [['in_use', 'inUse'], ['free', 'free'], ['mapped', 'mapped'], ['mmapped', 'mmapped']] as const) {
      const v = byState.get(state)!.value as number;
      expect(v, state).toBeGreaterThanOrEqual(Math.min(glibcHeap(before)[field], glibcHeap(after)[field]) - slack);
      expect(v, state).toBeLessThanOrEqual(Math.max(glibcHeap(before)[field], glibcHeap(after)[field]) + slack);
    }
    expect(metrics.get('nodejs.malloc.arenas')!.dataPoints[0].value).toBeGreaterThanOrEqual(1);
    expect(metrics.get('nodejs.malloc.trims')!.dataPoints[0].value).toBeGreaterThanOrEqual(1);
    expect(metrics.get('nodejs.malloc.trim.released')!.dataPoints[0].value).toBeGreaterThanOrEqual(0);
    const duration = metrics.get('nodejs.malloc.sample.duration')!.dataPoints[0].value as number;
    expect(duration).toBeGreaterThan(0);
    expect(duration).toBeLessThan(1);
    await shutdown();
  });

  it('stops observing after unregister()', async () => {
    const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
    const provider = new MeterProvider({ readers: [reader] });
    const registered = registerMallinfoMetrics(provider.getMeter('m'));
    registered.unregister();
    await reader.forceFlush();
    const points = exporter.getMetrics().flatMap((r) => r.scopeMetrics.flatMap((s) => s.metrics.flatMap((m) => m.dataPoints.length)));
    expect(points.reduce((a, b) => a + b, 0)).toBe(0);
    await provider.shutdown();
  });

  it.each([
    [null, undefined, TypeError, 'meter'],
    [{}, undefined, TypeError, 'meter'],
    ['meter', undefined, TypeError, 'meter'],
    [new MeterProvider().getMeter('x'), { attributes: 5 }, TypeError, 'options.attributes'],
    [new MeterProvider().getMeter('x'), { attributes: { state: 'x' } }, RangeError, 'options.attributes.state'],
    [new MeterProvider().getMeter('x'), { labels: {} }, TypeError, 'options.labels'],
  ])('rejects meter %o / options %o naming the parameter', (meter, options, type, name) => {
    expect(() => registerMallinfoMetrics(meter as never, options as never)).toThrow(type);
    expect(() => registerMallinfoMetrics(meter as never, options as never)).toThrow(name);
  });
});
