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
import { analyzeFiles } from '../attribution-analyze';
import { attributionLines } from '../attribution-format';
import { attributionPprof } from '../attribution-pprof';
import { ATTRIBUTE_BASELINE_MS_ENV, ATTRIBUTE_DIR_ENV, attributionFileNames } from './attribute-env';

/** One run's attribution directory. */
export class AttributionRun {
  private constructor(private readonly dir: string) {}

  static create(): AttributionRun {
    return new AttributionRun(mkdtempSync(join(tmpdir(), 'mallinfo-attribute-')));
  }

  /** Variables for the command's environment. */
  env(baselineAfterMs: number): Record<string, string> {
    return { [ATTRIBUTE_DIR_ENV]: this.dir, [ATTRIBUTE_BASELINE_MS_ENV]: String(baselineAfterMs) };
  }

  /**
   * The "what grew" lines for process `pid` (what was missing when it could
   * not be attributed); writes the pprof profile to `pprofPath` if given.
   * Removes the directory.
   */
  finish(pid: number | undefined, pprofPath: string | undefined): string[] {
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
      return lines;
    } catch (error) {
      // The run's summary matters more than its attribution: say why, go on.
      return [`what grew: could not be attributed: ${(error as Error).message}`];
    } finally {
      rmSync(this.dir, { recursive: true, force: true });
    }
  }
}
