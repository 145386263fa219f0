/**
 * `mallinfo run --attribute`: the CLI's side. It makes a private directory
 * for the snapshots, puts it in the command's environment, and once the
 * command has ended diffs the primary process's snapshots into the "what
 * grew" lines of the summary (and a pprof file with `--pprof`).
 * @packageDocumentation
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeFiles } from '../attribution/attribution-analyze';
import { attributionLines } from '../attribution/attribution-format';
import { analyzeJemallocProfiles, nativeAttributionLines, nativePprof } from '../attribution/attribution-native';
import { attributionPprof } from '../attribution/attribution-pprof';
import { ATTRIBUTE_BASELINE_MS_ENV, ATTRIBUTE_DIR_ENV, attributionFileNames } from './attribute-env';
import { jemallocLibraryPath, profilingMallocConf } from './jemalloc-path';

/** One run's attribution directory. */
export class AttributionRun {
  private native = false;

  private constructor(private readonly dir: string) {}

  static create(): AttributionRun {
    return new AttributionRun(mkdtempSync(join(tmpdir(), 'mallinfo-attribute-')));
  }

  /**
   * Variables for the command's environment (`env` is the one it would get);
   * with `native`, jemalloc preloaded with its heap profiler on.
   * @throws Error when `native` and the system has no libjemalloc.so.2.
   */
  env(baselineAfterMs: number, native: boolean, env: NodeJS.ProcessEnv): Record<string, string> {
    const out: Record<string, string> = { [ATTRIBUTE_DIR_ENV]: this.dir, [ATTRIBUTE_BASELINE_MS_ENV]: String(baselineAfterMs) };
    this.native = native;
    if (native) {
      const library = jemallocLibraryPath();
      if (library === null) {
        this.discard();
        const error = new Error('--attribute-native needs jemalloc: libjemalloc.so.2 is not installed (Debian package libjemalloc2)');
        // With a code, the CLI prints the message alone and exits with 1.
        throw Object.assign(error, { code: 'ERR_MALLINFO_NO_JEMALLOC' });
      }
      out.LD_PRELOAD = env.LD_PRELOAD ? `${library}:${env.LD_PRELOAD}` : library;
      out.MALLOC_CONF = profilingMallocConf(env.MALLOC_CONF);
    }
    return out;
  }

  /** Removes the directory. */
  discard(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  private nativeLines(pid: number, pprofPath: string | undefined): string[] {
    const names = attributionFileNames(pid);
    const baseline = join(this.dir, names.baselineJemalloc);
    const final = join(this.dir, names.finalJemalloc);
    if (!existsSync(baseline) || !existsSync(final)) {
      return [`native memory: pid ${pid} wrote no jemalloc heap profiles (jemalloc's profiler was not on there)`];
    }
    try {
      const report = analyzeJemallocProfiles(baseline, final, { pid });
      const lines = nativeAttributionLines(report);
      if (pprofPath !== undefined) {
        writeFileSync(pprofPath, nativePprof(report));
        lines.push(`  pprof:   ${pprofPath}`);
      }
      return lines;
    } catch (error) {
      return [`native memory: could not be attributed: ${(error as Error).message}`];
    }
  }

  /**
   * The "what grew" lines for process `pid` (what was missing when it could
   * not be attributed); writes the pprof profile to `pprofPath` if given.
   * Removes the directory.
   */
  finish(pid: number | undefined, pprofPath: string | undefined, pprofNativePath?: string): string[] {
    try {
      if (pid === undefined) return ['what grew: no Node process was sampled, so none was attributed'];
      const names = attributionFileNames(pid);
      const path = (name: string): string => join(this.dir, name);
      if (!existsSync(path(names.baselineSnapshot))) {
        return [`what grew: pid ${pid} ended before its baseline snapshot (taken after --attribute-baseline)`];
      }
      if (!existsSync(path(names.finalSnapshot))) {
        return [`what grew: pid ${pid} took no final snapshot (it was killed, or stopped without exiting)`];
      }
      const sampling = (name: string): string | undefined => (existsSync(path(name)) ? path(name) : undefined);
      const report = analyzeFiles({
        baselineSnapshot: path(names.baselineSnapshot),
        finalSnapshot: path(names.finalSnapshot),
        baselineSampling: sampling(names.baselineSampling),
        finalSampling: sampling(names.finalSampling),
      });
      const lines = attributionLines(report);
      if (pprofPath !== undefined) {
        writeFileSync(pprofPath, attributionPprof(report));
        lines.push(`  pprof:   ${pprofPath}`);
      }
      if (this.native) lines.push('', ...this.nativeLines(pid, pprofNativePath));
      return lines;
    } catch (error) {
      // The run's summary matters more than its attribution: say why, go on.
      return [`what grew: could not be attributed: ${(error as Error).message}`];
    } finally {
      this.discard();
    }
  }
}
