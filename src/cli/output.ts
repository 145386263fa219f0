/**
 * What a finished run or report leaves behind: the summary on the terminal
 * (stderr) or as one JSON line on stdout (`--json`), and the HTML file.
 * @packageDocumentation
 */
import { renderHtml } from './html';
import { print } from './broken-pipe';
import type { ReportFile } from './report-file';
import type { RunData } from './store';
import { summarize, type RunSummary } from './summary';
import { summaryLines } from './summary-text';
import { showControls } from './terminal-text';

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
      print(process.stdout, `${JSON.stringify(summary)}\n`);
      for (const warning of warnings) print(process.stderr, `mallinfo: ${showControls(warning)}\n`);
    } else {
      const notes = [...(options.notes ?? []), ...warnings.map((warning) => `  ${warning}`)];
      // One line each: a control character from the data (a newline too) is shown, not obeyed.
      const summaryText = summaryLines(summary);
      if (options.headline !== undefined) summaryText[0] = options.headline;
      const lines = [...summaryText, ...(notes.length > 0 ? ['', ...notes] : [])].map(showControls);
      print(process.stderr, `${lines.join('\n')}\n`);
    }
    options.html?.write(renderHtml(data, summary, options.whatGrew));
    return summary;
  } finally {
    options.html?.discard();
  }
}
