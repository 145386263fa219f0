/**
 * The options of `diagnose()`: checked (TypeError/RangeError naming the
 * option) and filled in with their defaults.
 * @packageDocumentation
 */
import type { Collection } from './collections';
import type { DiagnoseOptions } from './diagnose-types';
import { invalidType } from '../core/errors';
import { fractionOption, integerOption, optionsObject } from '../core/validate';

const MiB = 1024 * 1024;
const KNOWN = [
  'minSamples',
  'minDurationMs',
  'leakMinBytes',
  'significance',
  'fragmentationMinBytes',
  'fragmentationMinShare',
  'maxPoints',
  'fullGcTimes',
  'collections',
] as const;

/** {@link DiagnoseOptions} with every default filled in. */
export type ResolvedDiagnoseOptions = Required<Omit<DiagnoseOptions, 'fullGcTimes' | 'collections'>> & {
  fullGcTimes: readonly number[] | null;
  collections: readonly Collection[] | null;
};

/** Validates diagnose options (TypeError/RangeError naming the option) and fills in the defaults. */
export function resolveDiagnoseOptions(options: unknown, name = 'options'): ResolvedDiagnoseOptions {
  const o = optionsObject(name, options, KNOWN);
  return {
    minSamples: integerOption(`${name}.minSamples`, o.minSamples, 20, 3),
    minDurationMs: integerOption(`${name}.minDurationMs`, o.minDurationMs, 1000, 0),
    leakMinBytes: integerOption(`${name}.leakMinBytes`, o.leakMinBytes, MiB, 1),
    significance: fractionOption(`${name}.significance`, o.significance, 0.01, 0, 1),
    fragmentationMinBytes: integerOption(`${name}.fragmentationMinBytes`, o.fragmentationMinBytes, 32 * MiB, 1),
    fragmentationMinShare: fractionOption(`${name}.fragmentationMinShare`, o.fragmentationMinShare, 0.25, 0, 1),
    maxPoints: integerOption(`${name}.maxPoints`, o.maxPoints, 60, 10, 5000),
    fullGcTimes: timesOption(`${name}.fullGcTimes`, o.fullGcTimes),
    collections: collectionsOption(`${name}.collections`, o.collections),
  };
}

const KINDS = new Set(['major', 'minor', 'incremental', 'weakcb']);
const numberOrNull = (v: unknown): boolean => v === null || (typeof v === 'number' && Number.isFinite(v));

function collectionsOption(name: string, value: unknown): readonly Collection[] | null {
  if (value === undefined) return null;
  if (!Array.isArray(value)) throw invalidType(name, 'an array of collections ({ time, kind, durationMs, v8Used, inUse })', value);
  value.forEach((c: Partial<Collection> | null, i) => {
    const ok =
      c !== null &&
      typeof c === 'object' &&
      typeof c.time === 'number' &&
      Number.isFinite(c.time) &&
      KINDS.has(c.kind as string) &&
      numberOrNull(c.durationMs ?? null) &&
      numberOrNull(c.v8Used ?? null) &&
      numberOrNull(c.inUse ?? null) &&
      (c.forced === undefined || c.forced === true);
    if (!ok) throw invalidType(`${name}[${i}]`, "a collection: { time: finite ms, kind: 'major' | 'minor' | 'incremental' | 'weakcb', durationMs, v8Used, inUse: number or null, forced?: true }", c);
  });
  return value as Collection[];
}

function timesOption(name: string, value: unknown): readonly number[] | null {
  if (value === undefined) return null;
  if (!Array.isArray(value) || !value.every((t) => typeof t === 'number' && Number.isFinite(t))) {
    throw invalidType(name, 'an array of times in ms (finite numbers)', value);
  }
  return value as number[];
}

