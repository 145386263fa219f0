/**
 * `mallinfo report <samples.ndjson>`: the summary (and the HTML report) of
 * a run saved with `mallinfo run --ndjson`.
 * @packageDocumentation
 */
import type { ReportArgs } from './args';
import { readRunFile } from './ndjson';
import { writeOutputs } from './output';

/** Runs `mallinfo report`; resolves with the exit code (0). */
export async function report(args: ReportArgs): Promise<number> {
  const data = await readRunFile(args.file);
  writeOutputs(data, { html: args.html, json: args.json, notes: args.html ? [`  report:  ${args.html}`] : [] });
  return 0;
}
