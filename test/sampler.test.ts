import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { Sampler, type MemorySample } from 'mallinfo';
import { runNode, runNodeJson } from './helpers';

function nextSample(sampler: Sampler): Promise<MemorySample> {
  return new Promise((resolve) => sampler.once('sample', resolve));
}

describe('Sampler', () => {
  it('has documented defaults', () => {
    const sampler = new Sampler();
    expect(sampler.intervalMs).toBe(10_000);
    expect(sampler.running).toBe(false);
    expect(sampler.latest()).toBeUndefined();
    expect(sampler.history()).toEqual([]);
  });

  it('samples right after start, then every intervalMs, emitting sample events', async () => {
    const sampler = new Sampler({ intervalMs: 20 });
    const seen: MemorySample[] = [];
    sampler.on('sample', (s) => seen.push(s));
    sampler.start();
    expect(sampler.running).toBe(true);
    await delay(230);
    sampler.stop();
    expect(seen.length).toBeGreaterThanOrEqual(5);
    expect(seen.length).toBeLessThanOrEqual(14);
    expect(sampler.latest()).toBe(seen[seen.length - 1]);
    for (const s of seen) expect(s.heap!.inUse).toBeGreaterThan(0);
    const count = seen.length;
    await delay(60);
    expect(seen.length).toBe(count);
  });

  it('schedules without drift: tick n is due at start + n × interval', async () => {
    const sampler = new Sampler({ intervalMs: 25 });
    const times: number[] = [];
    sampler.on('sample', () => {
      times.push(performance.now());
      // A slow listener must not push later ticks back.
      const until = performance.now() + 10;
      while (performance.now() < until);
    });
    sampler.start();
    await delay(620);
    sampler.stop();
    // Judge the median spacing, not the count of ticks: a busy machine makes
    // some timers late (or skips a tick), but most ticks stay ~25 ms apart.
    // A scheduler that waited 25 ms after the 10 ms listener would never
    // space ticks less than 35 ms apart.
    const spacings = times.slice(1).map((t, i) => t - times[i]).sort((a, b) => a - b);
    expect(spacings.length).toBeGreaterThanOrEqual(8);
    expect(spacings[Math.floor(spacings.length / 2)]).toBeLessThan(31);
  });

  it('keeps a bounded history, oldest first', async () => {
    const sampler = new Sampler({ intervalMs: 5, history: 4 }).start();
    for (let i = 0; i < 8; i++) await nextSample(sampler);
    sampler.stop();
    const history = sampler.history();
    expect(history).toHaveLength(4);
    for (let i = 1; i < history.length; i++) expect(history[i].time).toBeGreaterThanOrEqual(history[i - 1].time);
    expect(history[3]).toBe(sampler.latest());
    expect(new Sampler({ intervalMs: 5, history: 0 }).history()).toEqual([]);
  });

  it('start() and stop() are idempotent and survive 1,000 cycles', async () => {
    const sampler = new Sampler({ intervalMs: 1 });
    let starts = 0;
    let stops = 0;
    sampler.on('start', () => starts++);
    sampler.on('stop', () => stops++);
    for (let i = 0; i < 1000; i++) {
      sampler.start().start();
      sampler.stop().stop();
    }
    expect(starts).toBe(1000);
    expect(stops).toBe(1000);
    expect(sampler.running).toBe(false);
    expect(sampler.listenerCount('sample')).toBe(0);
    sampler.start();
    await nextSample(sampler);
    sampler.stop();
  });

  it('stops when its AbortSignal aborts, and does not start once aborted', async () => {
    const controller = new AbortController();
    const sampler = new Sampler({ intervalMs: 5, signal: controller.signal }).start();
    await nextSample(sampler);
    controller.abort();
    expect(sampler.running).toBe(false);
    sampler.start();
    expect(sampler.running).toBe(false);
  });

  it('does not leave abort listeners behind across start/stop cycles', () => {
    const controller = new AbortController();
    const sampler = new Sampler({ signal: controller.signal });
    for (let i = 0; i < 100; i++) sampler.start().stop();
    // A listener per cycle would trip Node's MaxListenersExceededWarning.
    let warned = false;
    process.once('warning', () => (warned = true));
    sampler.start();
    controller.abort();
    expect(sampler.running).toBe(false);
    expect(warned).toBe(false);
  });

  it('is async iterable, and the loop ends cleanly on stop', async () => {
    const sampler = new Sampler({ intervalMs: 5 }).start();
    const seen: MemorySample[] = [];
    setTimeout(() => sampler.stop(), 100);
    for await (const s of sampler) seen.push(s);
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(sampler.running).toBe(false);
  });

  it('async iteration ends cleanly on abort, and break stops a sampler the loop started', async () => {
    const controller = new AbortController();
    const sampler = new Sampler({ intervalMs: 5, signal: controller.signal }).start();
    setTimeout(() => controller.abort(), 60);
    let count = 0;
    for await (const _ of sampler) count++;
    expect(count).toBeGreaterThan(0);

    const lazy = new Sampler({ intervalMs: 5 });
    for await (const s of lazy) {
      expect(s.process!.resident).toBeGreaterThan(0);
      break;
    }
    expect(lazy.running).toBe(false);
    expect(lazy.listenerCount('sample')).toBe(0);
  });

  it('keeps sampling when a listener throws', async () => {
    const result = await runNodeJson<{ errors: number; samples: number }>(['test/fixtures/throwing-listener.cjs']);
    expect(result.samples).toBeGreaterThan(3);
    expect(result.errors).toBe(result.samples);
  });

  it('never keeps the process alive with unref (the default), and does with unref: false', async () => {
    const t0 = performance.now();
    const unref = await runNode(['test/fixtures/unref-sampler.cjs']);
    expect(performance.now() - t0).toBeLessThan(1900);
    expect(unref.stdout.length).toBeLessThanOrEqual(2);
    const ref = await runNode(['test/fixtures/unref-sampler.cjs'], { env: { UNREF: '0' } });
    expect(ref.stdout.length).toBeGreaterThan(10);
  });
});
