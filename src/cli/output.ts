/**
 * What a finished run or report leaves behind: the summary on the terminal
 * (stderr) or as one JSON line on stdout (`--json`), and the HTML file.
 * @packageDocumentation
 */
import { writeFileSync } from 'node:fs';
import { renderHtml } from './html';
import { describeFsError, FileError } from './ndjson';
import type { RunData } from './store';
import { summarize, type RunSummary } from './summary';
import { summaryLines } from './summary-text';

/** Where the outputs go. */
export interface OutputOptions {
  /** Path of the HTML report, if one is wanted. */
  html: string | undefined;
  /** An open descriptor to write the HTML to instead of opening `html`. */
  htmlFd?: number;
  /** Summary as JSON on stdout instead of text on stderr. */
  json: boolean;
  /** Extra lines for the text summary (where the files were written). */
  notes?: string[];
}

/**
 * Summarizes `data`, prints the summary, then writes the HTML report if
 * asked; returns the summary.
 * @throws FileError when the HTML cannot be written.
 */
export function writeOutputs(data: RunData, options: OutputOptions): RunSummary {
  const summary = summarize(data);
  if (options.json) {
    process.stdout.write(`${JSON.stringify(summary)}\n`);
  } else {
    const notes = options.notes ?? [];
    process.stderr.write(`${[...summaryLines(summary), ...(notes.length > 0 ? ['', ...notes] : [])].join('\n')}\n`);
  }
  if (options.html !== undefined) {
    try {
      writeFileSync(options.htmlFd ?? options.html, renderHtml(data, summary));
    } catch (error) {
      throw new FileError(`cannot write ${options.html}: ${describeFsError(error)}`);
    }
  }
  return summary;
}
