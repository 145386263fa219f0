/**
 * `mallinfo/attribution`: after "native leak" or "V8 leak", what holds the
 * memory — heap snapshots diffed at floor times, allocation sites, and
 * jemalloc's heap profiles for native memory JS does not see. The entry
 * point; the code is in `attribution/`.
 * @packageDocumentation
 */
export * from './attribution/api';
