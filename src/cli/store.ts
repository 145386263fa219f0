/**
 * Everything known about a run, built record by record, the same way live
 * (from the channel) and afterwards (from an NDJSON file): the processes,
 * their samples, trims, and how the command ended.
 * @packageDocumentation
 */
import type { Collection } from '../diagnose/collections';
import type { MemorySample } from '../core/types';
import type { EndRecord, GcRecord, ProcessRecord, RunEvent, RunRecord, TrimRecord } from './records';
import { isLauncherScript } from './launcher';
import { SERIES, type SeriesKey } from './series';

/** Samples kept per process for the chart and the verdict; beyond it every other one is dropped. */
const MAX_KEPT_SAMPLES = 8192;
/** Full garbage collection times kept per process (as many as a Sampler keeps). */
const MAX_KEPT_GCS = 4096;

/** A `gc` record as a collection; records written before kinds were recorded were full collections. */
function collectionOf(r: GcRecord): Collection {
  const c: Collection = { time: r.time, kind: r.kind ?? 'major', durationMs: r.durationMs ?? null, v8Used: r.v8Used ?? null, inUse: r.inUse ?? null };
  if (r.forced === true) c.forced = true;
  if (r.v8External !== undefined) c.v8External = r.v8External;
  if (r.workers !== undefined) c.workers = r.workers;
  return c;
}

/** One Node process of the run. */
export class ProcessData {
  /** Samples at an even stride (all of them until there are {@link MAX_KEPT_SAMPLES}). */
  readonly samples: MemorySample[] = [];
  readonly trims: TrimRecord[] = [];
  /** Its garbage collections, oldest first (the latest {@link MAX_KEPT_GCS}); files without `kind` list full ones only. */
  readonly collections: Collection[] = [];
  /** Every sample counted, kept or not. */
  count = 0;
  first: MemorySample | undefined;
  last: MemorySample | undefined;
  /** Highest value of each series over every sample (not only the kept ones). */
  readonly peak: Record<SeriesKey, number | null> = { resident: null, inUse: null, free: null, mapped: null, v8Used: null };
  /** When its channel closed (it exited), ms since the epoch. */
  exitedAt: number | null = null;
  private stride = 1;

  constructor(
    readonly info: ProcessRecord,
    /** Order of connection, from 0. */
    readonly order: number,
  ) {}

  get pid(): number {
    return this.info.pid;
  }

  /** Whether this is a package-manager launcher (npm, npx, …) rather than the program. */
  get launcher(): boolean {
    return isLauncherScript(this.info.argv[1]);
  }

  addSample(sample: MemorySample): void {
    this.first ??= sample;
    this.last = sample;
    for (const series of SERIES) {
      const value = series.of(sample);
      const peak = this.peak[series.key];
      if (value !== null && (peak === null || value > peak)) this.peak[series.key] = value;
    }
    if (this.count++ % this.stride === 0) this.samples.push(sample);
    if (this.samples.length > MAX_KEPT_SAMPLES) {
      // Halve the resolution: keep every other sample, and take every other one from now on.
      let kept = 0;
      for (let i = 0; i < this.samples.length; i += 2) this.samples[kept++] = this.samples[i];
      this.samples.length = kept;
      this.stride *= 2;
    }
  }
}

/** The run: built by {@link RunData.add} from records in the order they came. */
export class RunData {
  run: RunRecord | null = null;
  end: EndRecord | null = null;
  readonly processes = new Map<number, ProcessData>();

  /** Takes one record; a sample or trim of a process not announced yet is ignored. */
  add(record: RunEvent): void {
    switch (record.type) {
      case 'run':
        this.run = record;
        break;
      case 'end':
        this.end = record;
        break;
      case 'process':
        if (!this.processes.has(record.pid)) this.processes.set(record.pid, new ProcessData(record, this.processes.size));
        break;
      case 'sample':
        this.processes.get(record.pid)?.addSample(record.sample);
        break;
      case 'trim':
        this.processes.get(record.pid)?.trims.push(record);
        break;
      case 'gc': {
        const kept = this.processes.get(record.pid)?.collections;
        if (kept && kept.push(collectionOf(record)) > MAX_KEPT_GCS) kept.shift();
        break;
      }
      case 'exit': {
        const data = this.processes.get(record.pid);
        if (data) data.exitedAt = record.time;
        break;
      }
    }
  }

  /**
   * The process the summary is about: of the processes that are not
   * package-manager launchers, the one with the most samples (watched the
   * longest); ties go to the one that connected first. Launchers count only
   * when nothing else was sampled. Undefined when no process sent a sample.
   */
  primary(): ProcessData | undefined {
    let best: ProcessData | undefined;
    for (const p of this.processes.values()) {
      if (p.count === 0) continue;
      if (best === undefined) {
        best = p;
        continue;
      }
      const better = best.launcher !== p.launcher ? best.launcher : p.count > best.count;
      if (better) best = p;
    }
    return best;
  }
}
