/**
 * The `process` record a watched process sends first (under `mallinfo run`
 * and `mallinfo attach` alike): who it is and how its allocator is set up.
 * @packageDocumentation
 */
import type { AllocatorInfo } from '../core/allocator';
import { allocatorEnv } from './allocator-env';
import type { ProcessRecord } from './records';

/** This process's `process` record, with `allocator` as given (null until the addon has loaded). */
export function thisProcessRecord(allocator: AllocatorInfo | null): ProcessRecord {
  return {
    type: 'process',
    pid: process.pid,
    ppid: process.ppid,
    argv: process.argv,
    node: process.version,
    time: Date.now(),
    allocator,
    allocatorEnv: allocatorEnv(process.env),
    error: null,
    warning: null,
  };
}
