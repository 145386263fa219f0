// mallinfo's allocator metrics through the OpenTelemetry metrics SDK,
// printed to the console every 5 s (swap in an OTLP exporter for a collector).
//   node examples/opentelemetry.mjs
import { metrics } from '@opentelemetry/api';
import { ConsoleMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { registerMallinfoMetrics } from 'mallinfo/opentelemetry';

const provider = new MeterProvider({
  readers: [new PeriodicExportingMetricReader({ exporter: new ConsoleMetricExporter(), exportIntervalMillis: 5000 })],
});
metrics.setGlobalMeterProvider(provider);
registerMallinfoMetrics(metrics.getMeter('example-service'), { attributes: { 'service.name': 'example' } });

const held = [];
const timer = setInterval(() => held.push(Buffer.alloc(1024 * 1024)), 500);
setTimeout(async () => {
  clearInterval(timer);
  await provider.shutdown();
}, 11_000);
