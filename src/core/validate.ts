/**
 * Option checking shared by every public function: the JS layer owns
 * defaults and error messages, so the addon only sees valid values.
 * @packageDocumentation
 */
import { invalidType, outOfRange } from './errors';

/**
 * Checks that `options` is undefined or a plain object with only `known`
 * keys, and returns it as a record (empty when undefined).
 */
export function optionsObject(
  name: string,
  options: unknown,
  known: readonly string[],
): Record<string, unknown> {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw invalidType(name, 'an object', options);
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      const list = known.map((k) => `'${k}'`).join(', ');
      throw invalidType(`${name}.${key}`, `one of the known options (${list})`, key);
    }
  }
  return options as Record<string, unknown>;
}

/** An integer option within [min, max]; `fallback` when undefined. */
export function integerOption(
  name: string,
  value: unknown,
  fallback: number,
  min: number,
  max: number = Number.MAX_SAFE_INTEGER,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number') throw invalidType(name, 'a number', value);
  if (!Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
    throw outOfRange(name, `an integer ${range}`, value);
  }
  return value;
}

/** A boolean option; `fallback` when undefined. */
export function booleanOption(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw invalidType(name, 'a boolean', value);
  return value;
}

/** A finite number option strictly between `min` and `max` (exclusive bounds); `fallback` when undefined. */
export function fractionOption(name: string, value: unknown, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number') throw invalidType(name, 'a number', value);
  if (!(value > min && value < max)) throw outOfRange(name, `a number greater than ${min} and less than ${max}`, value);
  return value;
}
