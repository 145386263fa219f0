/**
 * Error types and the messages for invalid arguments. Codes follow Node's
 * own (`ERR_INVALID_ARG_TYPE`, `ERR_OUT_OF_RANGE`) so callers can branch.
 * @packageDocumentation
 */

/** Thrown when the running allocator or platform cannot do what was asked. */
export class UnsupportedError extends Error {
  readonly code = 'ERR_MALLINFO_UNSUPPORTED';
  override readonly name = 'UnsupportedError';
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value);
  if (typeof value === 'bigint') return `${value}n (bigint)`;
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}

/** A TypeError with code ERR_INVALID_ARG_TYPE naming the parameter. */
export function invalidType(name: string, expected: string, value: unknown): TypeError {
  const error = new TypeError(`${name} must be ${expected}, got ${describe(value)}`);
  (error as TypeError & { code: string }).code = 'ERR_INVALID_ARG_TYPE';
  return error;
}

/** A RangeError with code ERR_OUT_OF_RANGE naming the parameter. */
export function outOfRange(name: string, expected: string, value: unknown): RangeError {
  const error = new RangeError(`${name} must be ${expected}, got ${describe(value)}`);
  (error as RangeError & { code: string }).code = 'ERR_OUT_OF_RANGE';
  return error;
}
