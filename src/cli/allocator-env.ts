/**
 * The environment variables that change how glibc's malloc behaves (or
 * replace it), as they are set in a process: what a report must show next
 * to the numbers, since the same program fragments differently under them.
 * @packageDocumentation
 */

/** Variables read by glibc malloc (see mallopt(3), tunables(7)), and LD_PRELOAD (jemalloc/tcmalloc). */
export const ALLOCATOR_ENV = [
  'MALLOC_ARENA_MAX',
  'MALLOC_ARENA_TEST',
  'MALLOC_MMAP_THRESHOLD_',
  'MALLOC_MMAP_MAX_',
  'MALLOC_TRIM_THRESHOLD_',
  'MALLOC_TOP_PAD_',
  'MALLOC_PERTURB_',
  'MALLOC_CHECK_',
  'GLIBC_TUNABLES',
  'LD_PRELOAD',
] as const;

/** The allocator variables set in `env`, by name (unset ones are left out). */
export function allocatorEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of ALLOCATOR_ENV) {
    const value = env[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}
