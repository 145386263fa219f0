/**
 * The allocator settings in this process's environment, as the advice of a
 * diagnosis quotes them. A small stand-in: `allocator().settings` reads the
 * same variables with their parsed values, and can replace it.
 * @packageDocumentation
 */
import { cpus } from 'node:os';

/** Environment variables that change how glibc's malloc keeps memory, or replace it. */
export const ALLOCATOR_VARIABLES = [
  'MALLOC_ARENA_MAX',
  'GLIBC_TUNABLES',
  'MALLOC_MMAP_THRESHOLD_',
  'MALLOC_TRIM_THRESHOLD_',
  'LD_PRELOAD',
] as const;

/** One of {@link ALLOCATOR_VARIABLES}. */
export type AllocatorVariable = (typeof ALLOCATOR_VARIABLES)[number];

/** Each variable's value in `process.env`, or null when unset. glibc reads them once, at start-up. */
export function allocatorEnvironment(): Record<AllocatorVariable, string | null> {
  const out = {} as Record<AllocatorVariable, string | null>;
  for (const name of ALLOCATOR_VARIABLES) out[name] = process.env[name] ?? null;
  return out;
}

let onlineCpus: number | undefined;

/** glibc's default arena limit on 64-bit: 8 × the online CPUs (glibc counts them all, whatever the affinity). */
export function defaultArenaMax(): number {
  // os.cpus() parses /proc/cpuinfo (about a millisecond): once per process.
  onlineCpus ??= Math.max(1, cpus().length);
  return 8 * onlineCpus;
}
