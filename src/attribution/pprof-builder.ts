/**
 * Builds pprof profiles (the protobuf of google/pprof, gzipped, through the
 * `pprof-format` package): samples are stacks of named frames, innermost
 * first, with one value per sample type. Functions and locations are
 * deduplicated by name, file and line.
 * @packageDocumentation
 */
import { gzipSync } from 'node:zlib';
import { Function as PprofFunction, Line, Location, Profile, Sample, StringTable, ValueType } from 'pprof-format';

/** One frame of a pprof stack. */
export interface PprofFrame {
  name: string;
  /** Source file, or '' when none. */
  file: string;
  /** 1-based, or 0 when unknown. */
  line: number;
}

/** Accumulates samples, then encodes them. */
export class PprofBuilder {
  private readonly strings = new StringTable();
  private readonly functions: PprofFunction[] = [];
  private readonly locations: Location[] = [];
  private readonly samples: Sample[] = [];
  private readonly functionIds = new Map<string, number>();
  private readonly locationIds = new Map<string, number>();

  /** `sampleTypes` as [type, unit] pairs (`['space', 'bytes']`); every sample gives one value per type. */
  constructor(private readonly sampleTypes: readonly (readonly [string, string])[]) {}

  private locationOf(frame: PprofFrame): number {
    const key = `${frame.name}\0${frame.file}\0${frame.line}`;
    let id = this.locationIds.get(key);
    if (id !== undefined) return id;
    const fnKey = `${frame.name}\0${frame.file}`;
    let functionId = this.functionIds.get(fnKey);
    if (functionId === undefined) {
      functionId = this.functions.length + 1;
      this.functions.push(
        new PprofFunction({
          id: functionId,
          name: this.strings.dedup(frame.name),
          systemName: this.strings.dedup(frame.name),
          filename: this.strings.dedup(frame.file),
        }),
      );
      this.functionIds.set(fnKey, functionId);
    }
    id = this.locations.length + 1;
    this.locations.push(new Location({ id, line: [new Line({ functionId, line: frame.line })] }));
    this.locationIds.set(key, id);
    return id;
  }

  /** Adds a sample: its stack, innermost frame first, and one value per sample type. */
  add(stack: readonly PprofFrame[], values: readonly number[]): void {
    if (values.length !== this.sampleTypes.length) throw new RangeError(`a sample needs ${this.sampleTypes.length} values, got ${values.length}`);
    this.samples.push(new Sample({ locationId: stack.map((f) => this.locationOf(f)), value: values.map((v) => Math.round(v)) }));
  }

  /** The profile, gzipped, as `go tool pprof` reads it. */
  encode(): Buffer {
    const profile = new Profile({
      sampleType: this.sampleTypes.map(([type, unit]) => new ValueType({ type: this.strings.dedup(type), unit: this.strings.dedup(unit) })),
      sample: this.samples,
      location: this.locations,
      function: this.functions,
      stringTable: this.strings,
      timeNanos: BigInt(Date.now()) * 1_000_000n,
    });
    // The last sample type (bytes) is what pprof shows by default.
    profile.defaultSampleType = this.strings.dedup(this.sampleTypes[this.sampleTypes.length - 1][0]);
    return gzipSync(profile.encode());
  }
}
