/**
 * `mallinfo report <samples.ndjson>`: the summary (and the HTML report) of
 * a run saved with `mallinfo run --ndjson`.
 * @packageDocumentation
 */
import type { ReportArgs } from './args';
import { readRunFile } from './ndjson';
import { writeOutputs } from './output';
import { ReportFile } from './report-file';

/** Runs `mallinfo report`; resolves with the exit code (0). */
export async function report(args: ReportArgs): Promise<number> {
  const { data, cutOff } = await readRunFile(args.file);
  const notes: string[] = [];
  if (args.html !== undefined) notes.push(`  report:  ${args.html}`);
  const warnings = cutOff ? ['ignored the last line of the file: cut off while it was written'] : [];
  const html = args.html === undefined ? undefined : ReportFile.open(args.html);
  writeOutputs(data, { html, json: args.json, notes, warnings });
  return 0;
}
