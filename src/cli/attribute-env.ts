/**
 * How `mallinfo run --attribute` tells the preload to capture heap
 * snapshots: a private directory to write them to, and when to take the
 * baseline. Without the directory variable the preload captures nothing.
 * @packageDocumentation
 */

/** Directory (mode 0700, made by the CLI) for `<pid>-baseline|final.heapsnapshot|sampling.json`. */
export const ATTRIBUTE_DIR_ENV = 'MALLINFO_ATTRIBUTE_DIR';
/** Milliseconds after the preload loads at which the baseline is taken. */
export const ATTRIBUTE_BASELINE_MS_ENV = 'MALLINFO_ATTRIBUTE_BASELINE_MS';

/** The files one process writes into the directory. */
export function attributionFileNames(pid: number): {
  baselineSnapshot: string;
  finalSnapshot: string;
  baselineSampling: string;
  finalSampling: string;
  baselineJemalloc: string;
  finalJemalloc: string;
} {
  return {
    baselineSnapshot: `${pid}-baseline.heapsnapshot`,
    finalSnapshot: `${pid}-final.heapsnapshot`,
    baselineSampling: `${pid}-baseline.sampling.json`,
    finalSampling: `${pid}-final.sampling.json`,
    baselineJemalloc: `${pid}-baseline.heap`,
    finalJemalloc: `${pid}-final.heap`,
  };
}
