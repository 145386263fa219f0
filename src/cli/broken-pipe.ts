/**
 * The CLI's stdout and stderr may lose their reader mid-run (`| head -1`,
 * `| true`): the next write then fails with EPIPE, which, unhandled,
 * becomes an uncaught exception that ends the CLI at once, and its exit
 * handler kills the watched command. Such an error stops only the CLI's
 * own printing to that stream: the command, the NDJSON file and the report
 * carry on.
 * @packageDocumentation
 */

const broken = new WeakSet<NodeJS.WritableStream>();

/** Whether `stream` has failed (its reader went away): nothing more is written to it. */
export function isBroken(stream: NodeJS.WritableStream): boolean {
  return broken.has(stream);
}

/** From now on, an error on stdout or stderr marks that stream broken instead of ending the CLI. */
export function survivePipeErrors(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', () => broken.add(stream));
  }
}

/** Writes `text` to `stream` unless it is broken. */
export function print(stream: NodeJS.WritableStream, text: string): void {
  if (!broken.has(stream)) stream.write(text);
}
