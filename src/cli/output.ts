/**
 * What a finished run or report leaves behind: the summary on the terminal
 * (stderr) or as one JSON line on stdout (`--json`), and the HTML file.
 * @packageDocumentation
 */
import { renderHtml } from './html';
import type { ReportFile } from './report-file';
import type { RunData } from './store';
import { summarize, type RunSummary } from './summary';
import { summaryLines } from './summary-text';

/** Where the outputs go. */
export interface OutputOptions {
  /** The HTML report's file, if one is wanted. */
  html: ReportFile | undefined;
  /** Summary as JSON on stdout instead of text on stderr. */
  json: boolean;
  /** Extra lines for the text summary (where the files were written). */
  notes?: string[];
  /** `--attribute`'s "what grew" lines, for the HTML report (the text summary has them among its notes). */
  whatGrew?: string[];
  /** What was skipped on the way (a cut-off line, invalid records): after the text summary, or on stderr beside `--json`. */
  warnings?: string[];
  /** Replaces the text summary's first line (`mallinfo attach` says what it attached to). */
  headline?: string;
}

/**
 * Summarizes `data`, prints the summary, then writes the HTML report if
 * asked (whole, or not at all); returns the summary.
 * @throws FileError when the HTML cannot be written.
 */
export function writeOutputs(data: RunData, options: OutputOptions): RunSummary {
  try {
    const summary = summarize(data);
    const warnings = options.warnings ?? [];
    if (options.json) {
      process.stdout.write(`${JSON.stringify(summary)}\n`);
      for (const warning of warnings) process.stderr.write(`mallinfo: ${warning}\n`);
    } else {
      const notes = [...(options.notes ?? []), ...warnings.map((warning) => `  ${warning}`)];
      const lines = summaryLines(summary);
      if (options.headline !== undefined) lines[0] = options.headline;
      process.stderr.write(`${[...lines, ...(notes.length > 0 ? ['', ...notes] : [])].join('\n')}\n`);
    }
    options.html?.write(renderHtml(data, summary, options.whatGrew));
    return summary;
  } finally {
    options.html?.discard();
  }
}
